/// Why `medvault db copy` refused or stopped; messages name tables and columns, never row contents.
package struct DatabaseCopyError: Error, Sendable, Equatable, CustomStringConvertible {
    package let description: String

    /// The target already holds rows in `table`: the copy only fills an empty database, so it never merges two
    /// histories (two audit chains cannot be one).
    static func targetNotEmpty(_ table: String) -> Self {
        Self(description: "the PostgreSQL database is not empty (table \(table) has rows): copy into a new, empty database")
    }

    /// The source has a column the target lacks: copying would drop it, so nothing is copied.
    static func columnMissing(_ column: String, table: String) -> Self {
        Self(description: "the PostgreSQL schema has no column \(table).\(column): the two databases are not at the same migration")
    }
}
