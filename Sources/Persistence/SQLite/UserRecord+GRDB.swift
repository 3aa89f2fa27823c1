import GRDB

/// How the SQLite engine reads and writes users: a GRDB record of the `users` table.
extension UserRecord: MedvaultRecord {
    /// The table's name, as in the migration.
    package static let databaseTableName = "users"

    /// Column names for the query interface, matching migrations/0002_access.sql.
    package enum Columns {
        /// `id`: lowercase UUID text, primary key.
        package static let id = Column(CodingKeys.id)
        /// `email`: normalised, unique.
        package static let email = Column(CodingKeys.email)
        /// `role`: a ``Role`` raw value.
        package static let role = Column(CodingKeys.role)
        /// `disabled`: 0 or 1.
        package static let disabled = Column(CodingKeys.disabled)
    }
}
