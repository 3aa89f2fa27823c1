import GRDB
import PostgresNIO

@testable import Persistence

/// Raw SQL on either engine, for tests that look at what is stored or play an attacker with direct access to the
/// database; the application itself never does this (it goes through ``AppDatabase``).
enum RawSQL {
    /// The first column of every row `sql` returns.
    static func column<T: DatabaseValueConvertible & PostgresDecodable & Sendable>(
        _ sql: String,
        as type: T.Type,
        in database: any AppDatabase
    ) async throws -> [T] {
        switch database {
        case let sqlite as SQLiteDatabase:
            return try await sqlite.databasePool.read { db in try T.fetchAll(db, sql: sql) }
        case let postgres as PostgreSQLDatabase:
            return try await postgres.client.query(PostgresQuery(unsafeSQL: sql), logger: PostgresTestServer.quietLogger).decodeAll(T.self)
        default:
            throw RawSQLError.unknownEngine
        }
    }

    /// Runs `sql` after removing the audit trail's append-only guards, as an attacker with direct access would:
    /// SQLite's triggers dropped, PostgreSQL's user triggers on the trail and its head disabled.
    static func tamper(_ sql: String, in database: any AppDatabase) async throws {
        switch database {
        case let sqlite as SQLiteDatabase:
            try await sqlite.databasePool.write { db in
                try db.execute(sql: "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;")
                try db.execute(sql: sql)
            }
        case let postgres as PostgreSQLDatabase:
            let statements = ["ALTER TABLE audit_events DISABLE TRIGGER USER", "ALTER TABLE audit_chain_head DISABLE TRIGGER USER", sql]
            try await postgres.client.withConnection { connection in
                for statement in statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: PostgresTestServer.quietLogger)
                }
            }
        default:
            throw RawSQLError.unknownEngine
        }
    }
}

/// A test handed RawSQL a database of an engine it does not know.
enum RawSQLError: Error {
    case unknownEngine
}
