import Audit
import Documents
import Foundation

/// One row of `sessions`: a signed-in browser, known by the SHA-256 of its cookie value.
///
/// The caller hashes the cookie and enforces the idle timeout (against ``lastSeenAt``) and the absolute end
/// (``expiresAt``); this is only the stored state.
/// - important: `description` and the mirror show the user and the expiry only, never the token hash or the
///   CSRF token, so a logged session cannot be replayed.
package struct SessionRecord: Codable, Sendable, Equatable {
    /// Lowercase hex SHA-256 of the cookie value; the primary key. The cookie value itself is never stored.
    package var tokenHash: String
    /// The signed-in user.
    package var userID: UUID
    /// The token every state-changing form of this session must carry (the synchronizer token pattern).
    package var csrfToken: String
    /// When the session began (millisecond precision).
    package var createdAt: Date
    /// The last request seen, for the idle timeout (millisecond precision).
    package var lastSeenAt: Date
    /// When the session ends whatever its activity (millisecond precision).
    package var expiresAt: Date

    /// Creates a session; instants are rounded to the millisecond, as they are stored.
    package init(tokenHash: String, userID: UUID, csrfToken: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt.roundedToMilliseconds
        self.lastSeenAt = lastSeenAt.roundedToMilliseconds
        self.expiresAt = expiresAt.roundedToMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case tokenHash = "token_hash"
        case userID = "user_id"
        case csrfToken = "csrf_token"
        case createdAt = "created_at"
        case lastSeenAt = "last_seen_at"
        case expiresAt = "expires_at"
    }
}

extension SessionRecord: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `SessionRecord(user: …, expiresAt: …)`, without the token hash or the CSRF token.
    package var description: String { "SessionRecord(user: \(userID.lowercaseText), expiresAt: \(expiresAt.millisecondsSince1970))" }

    /// The same as ``description``.
    package var debugDescription: String { description }

    /// Only the user and the expiry.
    package var customMirror: Mirror { Mirror(self, children: ["userID": userID.lowercaseText, "expiresAt": expiresAt], displayStyle: .struct) }
}
