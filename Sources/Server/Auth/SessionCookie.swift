import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The browser session cookie and the sign-in form's CSRF cookie: names, attributes and token handling.
///
/// The cookie carries 32 random bytes; the database keeps only their SHA-256, so a copy of the database
/// does not yield usable sessions. Cookies are `HttpOnly`, `SameSite=Strict`, `Path=/`, and `Secure` when
/// medvault is reached over TLS (`MEDVAULT_PUBLIC_URL` with https).
enum SessionCookie {
    static let sessionName = "medvault_session"
    static let loginCSRFName = "medvault_login_csrf"

    /// A fresh random token, base64url without padding.
    static func newToken() -> String {
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The hex SHA-256 of a cookie value: what the sessions table stores.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A `Set-Cookie` value; `maxAge` nil makes a cookie that ends with the browser session, 0 clears it.
    static func header(name: String, value: String, secure: Bool, maxAge: Int? = nil) -> String {
        var parts = ["\(name)=\(value)", "Path=/", "HttpOnly", "SameSite=Strict"]
        if secure { parts.append("Secure") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        return parts.joined(separator: "; ")
    }

    /// The value of cookie `name` in the request, if sent.
    static func value(named name: String, in request: Request) -> String? {
        request.cookies[name]?.value
    }

    /// Compares two secrets in constant time (for CSRF tokens).
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
