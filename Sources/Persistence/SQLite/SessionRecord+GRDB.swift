import GRDB

/// How the SQLite engine reads and writes sessions: a GRDB record of the `sessions` table.
extension SessionRecord: MedvaultRecord {
    /// The table's name, as in the migration.
    package static let databaseTableName = "sessions"

    /// The session's user, for reading both in one query.
    static let user = belongsTo(UserRecord.self, key: "user")

    /// Column names for the query interface, matching migrations/0002_access.sql.
    package enum Columns {
        /// `token_hash`: primary key.
        package static let tokenHash = Column(CodingKeys.tokenHash)
        /// `user_id`: lowercase UUID text referencing `users`.
        package static let userID = Column(CodingKeys.userID)
        /// `last_seen_at`: milliseconds since 1970.
        package static let lastSeenAt = Column(CodingKeys.lastSeenAt)
        /// `expires_at`: milliseconds since 1970.
        package static let expiresAt = Column(CodingKeys.expiresAt)
    }
}
