import GRDB
import Logging
import PostgresNIO

/// Copies an install's SQLite database into an empty PostgreSQL database, for `medvault db copy --from-sqlite`:
/// the document index, users, care teams, sessions, sign-in buckets, upload intents and the audit chain, row for
/// row, so hashes, ids and continuation tokens stay valid.
///
/// Everything is written in one PostgreSQL transaction (a copy that fails leaves the target empty) and read from
/// SQLite a page at a time (``pageSize`` rows), so memory stays flat whatever the size. Values travel in their text
/// form and are cast to each target column's type. The chain's head (the highest sequence SQLite issued) and how
/// far it was unkeyed come along, so verifying the copy judges the same chain as verifying the source. The document
/// totals are counted once at the end rather than row by row (``countDocumentTotals(on:logger:)``).
enum SQLiteToPostgres {
    /// Rows read and inserted at a time.
    static let pageSize = 500

    /// Copies every ``CopiedTable`` of `source` into `target` in one transaction and returns the rows copied per
    /// table. Throws ``DatabaseCopyError`` when the target is not empty or lacks a column, ``PersistenceError``
    /// when either database fails.
    static func copy(from source: SQLiteDatabase, to target: PostgreSQLDatabase) async throws -> [(table: String, rows: Int)] {
        let logger = target.logger
        let pool = source.databasePool
        do {
            return try await PostgreSQLDatabase.withConnection(from: target.client) { connection in
                try await PostgreSQLDatabase.inTransaction(.write, on: connection, logger: logger) { connection in
                    for table in CopiedTable.all {
                        let occupied = try await connection.query(
                            PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM \(table.name))"),
                            logger: logger
                        ).decodeAll(Bool.self)
                        if occupied == [true] { throw DatabaseCopyError.targetNotEmpty(table.name) }
                    }
                    try await connection.query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_keyed", logger: logger)
                    try await connection.query("ALTER TABLE documents DISABLE TRIGGER documents_totals_insert_delete", logger: logger)
                    var counts: [(table: String, rows: Int)] = []
                    for table in CopiedTable.all {
                        counts.append((table.name, try await copy(table, from: pool, on: connection, logger: logger)))
                    }
                    try await connection.query("ALTER TABLE documents ENABLE TRIGGER documents_totals_insert_delete", logger: logger)
                    try await connection.query("ALTER TABLE audit_events ENABLE TRIGGER audit_events_keyed", logger: logger)
                    try await countDocumentTotals(on: connection, logger: logger)
                    try await copyChainHead(from: pool, on: connection, logger: logger)
                    return counts
                }
            }
        } catch let error as DatabaseCopyError {
            throw error
        } catch {
            throw PostgreSQLDatabase.translate(error)
        }
    }

    /// Copies one table a page at a time; returns how many rows.
    private static func copy(_ table: CopiedTable, from pool: DatabasePool, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let targetTypes = try await columnTypes(of: table.name, on: connection, logger: logger)
        let columns = try await pool.read { db in try db.columns(in: table.name).map(\.name) }
        for column in columns where targetTypes[column] == nil {
            throw DatabaseCopyError.columnMissing(column, table: table.name)
        }
        let types = columns.compactMap { targetTypes[$0] }
        var after: [DatabaseValue]? = nil
        var copied = 0
        while true {
            let previous = after
            let page = try await pool.read { db in try SQLitePage.read(table, columns: columns, after: previous, limit: pageSize, db) }
            guard !page.rows.isEmpty else { break }
            var bindings = PostgresBindings()
            var tuples: [String] = []
            for row in page.rows {
                var placeholders: [String] = []
                for (value, type) in zip(row, types) {
                    if let value { bindings.append(value) } else { bindings.appendNull() }
                    placeholders.append("CAST($\(bindings.count) AS \(type))")
                }
                tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            let sql = "INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))"
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            copied += page.rows.count
            after = page.lastKey
            if page.rows.count < pageSize { break }
        }
        return copied
    }

    /// Fills `document_totals` from the copied documents in one statement. Its trigger is off during the copy: kept
    /// row by row, a million inserts in one transaction would update the same few totals rows a million times, and
    /// each update walks the versions the earlier ones left (which the open transaction keeps), so the copy slowed
    /// with every page.
    private static func countDocumentTotals(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO document_totals (status, category, content_type, count, bytes)
            SELECT status, category, content_type, count(*), coalesce(sum(size), 0) FROM documents
            GROUP BY status, category, content_type
            """,
            logger: logger
        )
    }

    /// The target's columns of `table` that take values (not generated), with their types.
    private static func columnTypes(of table: String, on connection: PostgresConnection, logger: Logger) async throws -> [String: String] {
        let rows = try await connection.query(
            """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(table) AND is_identity = 'NO' AND is_generated = 'NEVER'
            """,
            logger: logger
        )
        var types: [String: String] = [:]
        for try await (name, type) in rows.decode((String, String).self) {
            types[name] = type
        }
        return types
    }

    /// Sets the target's chain head to the highest sequence SQLite issued (AUTOINCREMENT's, so deleted last rows
    /// still show as missing) and its unkeyed prefix to the source's: the keying row is frozen by a trigger that
    /// this transaction alone lifts.
    private static func copyChainHead(from pool: DatabasePool, on connection: PostgresConnection, logger: Logger) async throws {
        let (highest, unkeyedThrough) = try await pool.read { db in
            let issued = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'") ?? 0
            let stored = try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM audit_events") ?? 0
            return (max(issued, stored), try Int64.fetchOne(db, sql: "SELECT unkeyed_through FROM audit_chain_keying") ?? 0)
        }
        try await connection.query("UPDATE audit_chain_head SET highest_sequence = \(highest)", logger: logger)
        try await connection.query("ALTER TABLE audit_chain_keying DISABLE TRIGGER audit_chain_keying_frozen", logger: logger)
        try await connection.query("UPDATE audit_chain_keying SET unkeyed_through = \(unkeyedThrough)", logger: logger)
        try await connection.query("ALTER TABLE audit_chain_keying ENABLE TRIGGER audit_chain_keying_frozen", logger: logger)
    }
}
