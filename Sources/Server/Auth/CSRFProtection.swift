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

    /// Methods that change state and so need the token.
    static func isStateChanging(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options].contains(method)
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
