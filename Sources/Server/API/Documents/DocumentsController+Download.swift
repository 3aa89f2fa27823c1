import Access
import Audit
import Documents
import Foundation
import HTTPTypes
import Hummingbird
import ObjectStorage
import Persistence

extension DocumentsController {
    /// `GET download`: streams the stored bytes (single ranges per RFC 9110 §14), or with `presigned=true`
    /// answers `{url, expiresAt}`, a SigV4 URL that fetches the bytes without credentials.
    @Sendable func download(request: Request, context: AppRequestContext) async throws -> Response {
        try await audit.perform(.documentDownload, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            let store = try storage.store()
            let parameters = QueryParameters(query: request.uri.query)
            let variant = try Self.variant(in: parameters)
            let record = try recorder.admit(try await documentDecision(.read, parameters: parameters, principal: principal, request: request))
            var stored: StoredVariant?
            if let variant { stored = try await storedVariant(variant, of: record, store: store, context: context, recorder: recorder) }
            switch parameters.get("presigned") {
            case nil, "false":
                let response =
                    if let stored {
                        try await FileResponse.serve(stored.served, from: store, request: request, context: context)
                    } else {
                        try await FileResponse.serve(record, from: store, request: request, context: context)
                    }
                recorder.httpStatus = Int(response.status.code)
                return response
            case "true":
                recorder.action = .documentPresign
                let expires = parameters.get("expires")
                return try await presignedLink(for: record, variant: stored, issuedTo: principal, expiresParameter: expires, recorder: recorder)
                    .response(from: request, context: context)
            default:
                throw APIError.invalidParameter("`presigned` must be true or false.")
            }
        }
    }

    /// The body of `download?presigned=true`.
    struct PresignedLink: Encodable, Sendable {
        let url: String
        let expiresAt: String
    }

    /// A pre-signed URL just issued for a document, with the instants its lifetime is counted from.
    struct IssuedURL: Sendable {
        let url: String
        /// The signing time: the URL is valid from here for ``lifetime`` seconds.
        let issuedAt: Date
        let lifetime: Int

        /// When the URL stops working.
        var expiresAt: Date { issuedAt.addingTimeInterval(TimeInterval(lifetime)) }
    }

    /// The URL names `principal` as its recipient (``PresignedURLRecipient``), so that the local store audits its
    /// fetches against them. With a `variant`, the URL fetches the variant's object.
    private func presignedLink(
        for record: DocumentRecord,
        variant: StoredVariant?,
        issuedTo principal: Principal,
        expiresParameter: String?,
        recorder: AuditRecorder
    ) async throws -> JSONResponse<PresignedLink> {
        let expires = try Self.presignedLifetime(expiresParameter, breakGlass: recorder.breakGlass)
        let issued = try await issueURL(for: record, variant: variant, issuedTo: principal, lifetime: expires, recorder: recorder)
        return JSONResponse(PresignedLink(url: issued.url, expiresAt: issued.expiresAt.formatted(Date.ISO8601FormatStyle())))
    }

    /// Signs a GET URL for `record` valid for `lifetime` seconds, pinning its stored type and file name (a CloudFront
    /// URL for the categories delivered through the CDN, which pins neither), and records
    /// the lifetime in the `document.presign` row. Shared by `download?presigned=true` and `signed-url`, so both hand
    /// out the same URLs under the same rules.
    ///
    /// After a revocation, a URL that medvault verifies is signed no earlier than the revocation's not-before instant
    /// (at most a second ahead of the clock, well within SigV4's allowance), so it works although X-Amz-Date has
    /// only whole seconds. A `variant`'s URL is always the store's own (variants live in the documents bucket, which
    /// CloudFront may not front) and names the variant's type and disposition.
    func issueURL(
        for record: DocumentRecord,
        variant: StoredVariant? = nil,
        issuedTo principal: Principal,
        lifetime: Int,
        recorder: AuditRecorder
    ) async throws -> IssuedURL {
        guard let issuer = presignedURLs else { throw APIError.unexpected }
        var issuedAt = now()
        if issuer.verifiesSigningTime, let notBefore = try await database.urlsNotBefore(documentID: record.id) {
            issuedAt = max(issuedAt, notBefore)
        }
        let url: String
        var route = ""
        if variant == nil, let cloudFront, cloudFront.serves(record.category) {
            // The canned policy's expiry is in whole seconds.
            issuedAt = Date(timeIntervalSince1970: issuedAt.timeIntervalSince1970.rounded(.down))
            url = try cloudFront.signedGetURL(key: record.key, expires: lifetime, date: issuedAt)
            route = " via CloudFront"
        } else {
            url = try issuer.presignedGetURL(
                key: variant?.info.key ?? record.key,
                expires: lifetime,
                responseContentType: variant?.contentType ?? record.contentType,
                responseContentDisposition: variant?.disposition ?? FileResponse.disposition(for: record),
                issuedTo: PresignedURLRecipient(principal).parameterValue,
                date: issuedAt
            )
        }
        let issued = IssuedURL(url: url, issuedAt: issuedAt, lifetime: lifetime)
        let prefix = variant.map { "variant=\($0.variant.rawValue) " } ?? ""
        recorder.detail = "\(prefix)expires=\(lifetime)s expiresAt=\(issued.expiresAt.formatted(Date.ISO8601FormatStyle()))\(route)"
        return issued
    }

    /// The lifetime asked for in `expires` (seconds), or the default; at most
    /// ``PresignPolicy/breakGlassMaximumExpiry`` when the provider broke the glass for this document.
    /// A refused value is a 400 with `code`.
    static func presignedLifetime(_ parameter: String?, breakGlass: Bool, code: String = "invalid_parameter") throws -> Int {
        let maximum = breakGlass ? PresignPolicy.breakGlassMaximumExpiry : PresignPolicy.maximumExpiry
        guard let parameter else { return min(PresignPolicy.defaultExpiry, maximum) }
        guard let value = Int(parameter), (PresignPolicy.minimumExpiry...maximum).contains(value) else {
            let range = "from \(PresignPolicy.minimumExpiry) to \(maximum)"
            throw APIError(
                .badRequest,
                code: code,
                message: breakGlass
                    ? "`expires` must be a number of seconds \(range): URLs issued under break-glass access live at most 15 minutes."
                    : "`expires` must be a number of seconds \(range)."
            )
        }
        return value
    }
}
