import Audit
import Documents
import Foundation
import PostgresNIO

extension SessionRecord {
    /// The columns every PostgreSQL query that fetches sessions selects, in the order ``init(postgresRow:)``
    /// reads them; `prefix` qualifies them with a table alias in joins.
    static func postgresColumns(_ prefix: String = "") -> String {
        ["token_hash", "user_id", "csrf_token", "created_at", "last_seen_at", "expires_at"].map { prefix + $0 }.joined(separator: ", ")
    }

    /// How many columns ``postgresColumns(_:)`` selects.
    static let postgresColumnCount = 6

    /// Reads the session columns at the start of `row`.
    init(postgresRow row: PostgresRandomAccessRow) throws {
        guard let userID = UUID(parsing: try row[1].decode(String.self)) else {
            throw PersistenceError.database.with(cause: "session row with a user id this version cannot read")
        }
        self.init(
            tokenHash: try row[0].decode(String.self),
            userID: userID,
            csrfToken: try row[2].decode(String.self),
            createdAt: Date(millisecondsSince1970: try row[3].decode(Int64.self)),
            lastSeenAt: Date(millisecondsSince1970: try row[4].decode(Int64.self)),
            expiresAt: Date(millisecondsSince1970: try row[5].decode(Int64.self))
        )
    }
}
