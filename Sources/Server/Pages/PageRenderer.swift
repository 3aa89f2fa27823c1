import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders the server-side pages from the mustache templates in `Templates/` and answers them with the
/// headers every page carries: no caching (pages show PHI), a CSP without inline script,
/// `frame-ancestors 'none'`, nosniff, no referrer, and HSTS when medvault is reached over TLS. The CSP's `connect-src`
/// adds the origin direct uploads send their parts to (the bucket's, on S3), and nothing else.
///
/// Mustache's `{{…}}` escapes HTML, and templates use nothing else for user input such as file names.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary
    private let tls: Bool
    /// Shown in every page's header: the storage backend, for example "local store" or "S3 · minio:9000".
    let backend: String
    /// The CSP's `connect-src`: the page's own origin, and the origin of direct uploads' part URLs when it differs.
    private let connectSources: String

    /// Loads the templates and checks that every ``PageTemplate`` is among them.
    /// - Parameter uploadOrigin: where the upload widget sends the parts of a direct upload (the bucket's origin on
    ///   S3; ``StorageComposition/directUploadOrigin``), nil without storage.
    /// - Throws: ``MissingTemplates`` naming those that are not, so that start-up stops.
    init(templatesDirectory: URL, tls: Bool, backend: String, uploadOrigin: String? = nil) async throws {
        let library = try await MustacheLibrary(directory: templatesDirectory.path)
        let missing = PageTemplate.allCases.filter { library.getTemplate(named: $0.rawValue) == nil }
        guard missing.isEmpty else { throw MissingTemplates(names: missing.map(\.rawValue), directory: templatesDirectory.path) }
        self.library = library
        self.tls = tls
        self.backend = backend
        self.connectSources = (["'self'"] + (uploadOrigin.map { [$0] } ?? [])).joined(separator: " ")
    }

    /// A page response.
    func render(_ template: PageTemplate, _ page: some PageContent, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        guard let html = library.render(PageEnvelope(page: page, backend: backend), withTemplate: template.rawValue) else {
            // Not reached: `init` refuses to start without every template. Never a 200 without its page.
            return Response(status: .internalServerError, headers: securityHeaders)
        }
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers.append(contentsOf: securityHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A 303 to `location` with the page security headers.
    func redirect(to location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        headers.append(contentsOf: securityHeaders)
        return Response(status: .seeOther, headers: headers)
    }

    private var securityHeaders: HTTPFields {
        var headers: HTTPFields = [
            .cacheControl: "no-store",
            .contentSecurityPolicy:
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src \(connectSources); object-src 'none'; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
        ]
        if tls { headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        return headers
    }
}

/// The values a page template reads, besides the layout's.
protocol PageContent: Sendable {
    /// The signed-in user shown in the header, if any.
    var user: PageUser? { get }
    /// The session's CSRF token for forms and scripts, if signed in.
    var csrfToken: String? { get }
}

/// The signed-in user as the layout shows them.
struct PageUser: Sendable {
    let displayName: String
    let role: String
}

/// What a template renders: the page's own values, flattened with the layout's (`backend`).
private struct PageEnvelope<Page: PageContent>: CustomReflectable {
    let page: Page
    let backend: String

    var customMirror: Mirror {
        Mirror(self, children: Mirror(reflecting: page).children + [(label: "backend", value: backend)])
    }
}
