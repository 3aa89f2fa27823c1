import Access
import Audit
import Documents
import Foundation
import PostgresNIO

extension UserRecord {
    /// The columns every PostgreSQL query that fetches users selects, in the order ``init(postgresRow:from:)``
    /// reads them; `prefix` qualifies them with a table alias in joins.
    static func postgresColumns(_ prefix: String = "") -> String {
        [
            "id", "email", "role", "display_name", "patient_id", "provider_id", "password_hash", "disabled", "failed_attempts",
            "locked_until", "created_at",
        ].map { prefix + $0 }.joined(separator: ", ")
    }

    /// How many columns ``postgresColumns(_:)`` selects.
    static let postgresColumnCount = 11

    /// Reads the user columns of `row` that start at column `start`; unknown roles throw.
    init(postgresRow row: PostgresRandomAccessRow, from start: Int = 0) throws {
        let idText = try row[start].decode(String.self)
        let roleName = try row[start + 2].decode(String.self)
        guard let id = UUID(parsing: idText), let role = Role(rawValue: roleName) else {
            throw PersistenceError.database.with(cause: "user row with an id or role this version cannot read")
        }
        self.init(
            id: id,
            email: try row[start + 1].decode(String.self),
            role: role,
            displayName: try row[start + 3].decode(String?.self),
            patientID: try row[start + 4].decode(String?.self),
            providerID: try row[start + 5].decode(String?.self),
            passwordHash: try row[start + 6].decode(String.self),
            disabled: try row[start + 7].decode(Bool.self),
            failedAttempts: try row[start + 8].decode(Int.self),
            lockedUntil: try row[start + 9].decode(Int64?.self).map { Date(millisecondsSince1970: $0) },
            createdAt: Date(millisecondsSince1970: try row[start + 10].decode(Int64.self))
        )
    }
}
