import HTTPTypes
import Hummingbird

/// Cross-site request forgery protection for cookie-authenticated requests.
///
/// Each session has its own random token. Pages put it in a hidden `csrf_token` form field and in a
/// `<meta name="csrf-token">` for scripts, which send it as `X-CSRF-Token`. The sign-in form, which has no
/// session yet, uses a double-submit cookie instead (see ``SessionCookie/loginCSRFName``).
enum CSRFProtection {
    static let formField = "csrf_token"
    static let headerName = HTTPField.Name("X-CSRF-Token")!

    /// The routes (as the router names what it matched) whose handlers check a form's token themselves: the
    /// sign-in form's double-submit cookie, and the session's token in the sign-out and self-check forms.
    static let formTokenRoutes: Set<String> = ["/login", "/logout", "/test/s3"]

    /// Methods that change state and so need the token.
    static func isStateChanging(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options].contains(method)
    }

    /// Whether a request that rides on the session cookie must carry `X-CSRF-Token`: every state-changing
    /// one, whatever its path, unless the router matched one of ``formTokenRoutes``.
    ///
    /// - important: decided on `route`, the route the router matched, never on the raw path: the router
    ///   ignores empty segments, so `//api/v2/users` reaches `/api/v2/users` while its raw path does not start
    ///   with `/api/`. A request that matched nothing needs the token too (it is answered 404 or 405 anyway).
    static func requiresHeaderToken(_ method: HTTPRequest.Method, route: String?) -> Bool {
        guard isStateChanging(method) else { return false }
        return !(route.map(formTokenRoutes.contains) ?? false)
    }

    /// Whether `sent` is the session's token.
    static func matches(_ sent: String?, expected: String) -> Bool {
        sent.map { SessionCookie.constantTimeEquals($0, expected) } ?? false
    }

    /// Throws `csrf_failed` unless `sent` is the session's token.
    static func verify(_ sent: String?, expected: String) throws {
        guard matches(sent, expected: expected) else { throw APIError.csrfFailed }
    }
}
