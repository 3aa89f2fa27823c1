import Foundation
import GRDB

/// One page of a SQLite table for ``SQLiteToPostgres``: each row's values in their text form (NULL as nil), and the
/// last row's key to read the next page after.
struct SQLitePage: Sendable {
    let rows: [[String?]]
    let lastKey: [DatabaseValue]

    /// Reads up to `limit` rows of `table` after `after` in the order of its key (keyset paging: each page costs
    /// the same however far into the table it is).
    static func read(_ table: CopiedTable, columns: [String], after: [DatabaseValue]?, limit: Int, _ db: Database) throws -> SQLitePage {
        let key = table.key.joined(separator: ", ")
        var sql = "SELECT \(key), \(columns.joined(separator: ", ")) FROM \(table.name)"
        var arguments: [DatabaseValue] = []
        if let after {
            sql += " WHERE (\(key)) > (\(databaseQuestionMarks(count: after.count)))"
            arguments = after
        }
        sql += " ORDER BY \(key) LIMIT \(limit)"
        var rows: [[String?]] = []
        var lastKey: [DatabaseValue] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        while let row = try cursor.next() {
            lastKey = (0..<table.key.count).map { row[$0] as DatabaseValue }
            rows.append((table.key.count..<row.count).map { text(of: row[$0] as DatabaseValue) })
        }
        return SQLitePage(rows: rows, lastKey: lastKey)
    }

    /// A value as PostgreSQL reads it in a cast from text (integers 0 and 1 become booleans where the column is one).
    private static func text(of value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let integer): String(integer)
        case .double(let double): String(double)
        case .string(let string): string
        case .blob(let data): "\\x" + data.map { String(format: "%02x", $0) }.joined()
        }
    }
}
