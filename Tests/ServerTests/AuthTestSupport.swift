import Audit
import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Persistence
import Testing

@testable import Server

/// The real application of ``buildApplication(configuration:logger:metrics:now:announce:)`` over a fresh data
/// directory with a real SQLite database and the local store, the repository's `migrations/` and `Templates/`,
/// and a hand-moved clock, for the sign-in, session, bearer-token and CSRF tests.
struct AuthHarness: Sendable {
    static let adminEmail = "admin@example.test"
    static let adminPassword = "correct horse battery staple 42"
    static let jwtSecret = "medvault-test-secret-0123456789abcdefghijklmnopqrstuvwxyz-0123456"

    /// The repository root, from this file's path (`Tests/ServerTests/…`).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    let directory: URL
    let clock = ManualClock()
    let environment: [String: String]

    /// A fresh data directory; `withAdministrator` sets `MEDVAULT_ADMIN_EMAIL` / `MEDVAULT_ADMIN_PASSWORD`,
    /// `extra` adds or overrides variables (an empty value removes one).
    init(withAdministrator: Bool = true, _ extra: [String: String] = [:]) {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("medvault-auth-\(UUID().uuidString)")
        var environment = [
            "MEDVAULT_DATA_DIR": directory.appendingPathComponent("data").path,
            "MEDVAULT_MIGRATIONS_DIR": Self.repository.appendingPathComponent("migrations").path,
            "MEDVAULT_TEMPLATES_DIR": Self.repository.appendingPathComponent("Templates").path,
            "MEDVAULT_PUBLIC_DIR": Self.repository.appendingPathComponent("Public").path,
            "MEDVAULT_BCRYPT_COST": "4",
            // Sign-in throttling has its own tests; elsewhere tests sign in as often as they need.
            "MEDVAULT_SIGN_IN_ADDRESS_BURST": "1000",
            "MEDVAULT_SIGN_IN_ACCOUNT_BURST": "1000",
            "MEDVAULT_JWT_SECRET": Self.jwtSecret,
            "MEDVAULT_STORAGE_KEY": Data(repeating: 7, count: 32).base64EncodedString(),
            "PORT": "0",
        ]
        if withAdministrator {
            environment["MEDVAULT_ADMIN_EMAIL"] = Self.adminEmail
            environment["MEDVAULT_ADMIN_PASSWORD"] = Self.adminPassword
        }
        environment.merge(extra) { $1 }
        self.environment = environment.filter { !$0.value.isEmpty }
    }

    /// The configuration, read the way `medvault serve` reads it (documented variable names).
    func configuration() throws -> AppConfiguration {
        try AppConfiguration.load(from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    /// Builds the application and runs `body` against it in the router test mode.
    func withApp<Value: Sendable>(
        announce: @escaping (String) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let clock = self.clock
        let app = try await buildApplication(
            configuration: try configuration(),
            logger: Logger(label: "medvault-test"),
            now: { clock.now },
            announce: announce
        )
        return try await app.test(.router, body)
    }

    /// A second connection to the application's database, for reading what it recorded.
    func database() async throws -> any AppDatabase {
        try await configuration().openDatabase(logger: Logger(label: "medvault-test"))
    }

    /// The bearer-token signer and verifier the application uses, on the same clock.
    func bearerTokens() async throws -> BearerTokens {
        let configuration = try configuration()
        let clock = self.clock
        return try await BearerTokens.load(
            settings: configuration.auth,
            dataDirectory: configuration.dataDirectory,
            now: { clock.now },
            logger: Logger(label: "medvault-test")
        )
    }

    /// The audit rows matching `query`.
    func auditRows(_ query: AuditQuery) async throws -> [AuditRecord] {
        var query = query
        query.limit = AuditQuery.maximumLimit
        return try await database().auditEvents(matching: query).records
    }

    func removeDirectory() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A browser: keeps cookies the server sets and sends them back.
final class Browser: @unchecked Sendable {
    private let lock = NSLock()
    private var cookies: [String: String] = [:]
    let client: any TestClientProtocol

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    func cookie(_ name: String) -> String? {
        lock.withLock { cookies[name] }
    }

    func setCookie(_ name: String, _ value: String?) {
        lock.withLock { cookies[name] = value }
    }

    /// Sends a request with the stored cookies and stores what the response sets (`Max-Age=0` removes).
    @discardableResult
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        headers: HTTPFields = [:],
        body: ByteBuffer? = nil
    ) async throws -> TestResponse {
        var headers = headers
        let cookieHeader = lock.withLock { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !cookieHeader.isEmpty { headers[.cookie] = cookieHeader }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for line in response.headers[values: .setCookie] {
            guard let (name, value) = SetCookie.nameAndValue(line) else { continue }
            setCookie(name, line.contains("Max-Age=0") || value.isEmpty ? nil : value)
        }
        return response
    }

    /// `GET /login` (for the double-submit cookie), then `POST /login` with the form.
    @discardableResult
    func signIn(email: String, password: String) async throws -> TestResponse {
        let form = try await send(.get, "/login")
        #expect(form.status == .ok)
        let csrf = try #require(cookie(SessionCookie.loginCSRFName))
        #expect(String(buffer: form.body).contains(#"name="csrf_token" value="\#(csrf)""#))
        return try await postLogin(email: email, password: password, csrfToken: csrf)
    }

    /// `POST /login` with the current login CSRF cookie (if any) and `csrfToken` in the form.
    func postLogin(email: String, password: String, csrfToken: String?) async throws -> TestResponse {
        var fields = [("email", email), ("password", password)]
        if let csrfToken { fields.append(("csrf_token", csrfToken)) }
        return try await send(
            .post,
            "/login",
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: FormEncoding.encode(fields))
        )
    }

    /// The session's CSRF token, from the start page's `<meta name="csrf-token">`.
    func sessionCSRFToken() async throws -> String {
        let home = try await send(.get, "/")
        #expect(home.status == .ok)
        let page = String(buffer: home.body)
        let marker = #"<meta name="csrf-token" content=""#
        let start = try #require(page.range(of: marker)).upperBound
        let end = try #require(page[start...].firstIndex(of: "\""))
        return String(page[start..<end])
    }
}

enum SetCookie {
    /// The name and value of a `Set-Cookie` header.
    static func nameAndValue(_ line: String) -> (String, String)? {
        let pair = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return (parts[0].trimmingCharacters(in: .whitespaces), String(parts[1]))
    }

    /// The `Set-Cookie` header of `name` in `response`.
    static func line(_ name: String, in response: TestResponse) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix("\(name)=") }
    }
}

enum FormEncoding {
    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }
}

/// The `error.code` of a JSON error body.
func errorCode(_ response: TestResponse) -> String? {
    struct Body: Decodable {
        struct Detail: Decodable { let code: String }
        let error: Detail
    }
    return try? JSONDecoder().decode(Body.self, from: Data(String(buffer: response.body).utf8)).error.code
}

extension HTTPFields {
    static func bearer(_ token: String) -> HTTPFields {
        [.authorization: "Bearer \(token)"]
    }
}

/// Records what ``buildApplication(configuration:logger:metrics:now:announce:)`` announces.
final class Announcements: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    var lines: [String] { lock.withLock { stored } }

    func record(_ line: String) {
        lock.withLock { stored.append(line) }
    }
}
