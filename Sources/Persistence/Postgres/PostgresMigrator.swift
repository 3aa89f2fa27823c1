import Logging
import PostgresNIO

/// Applies pending ``Migrations`` to a PostgreSQL database, once, however many nodes start at the same time.
///
/// The runner holds a session advisory lock (``lockKey``) on its connection from before it reads what is applied
/// until after the last migration commits: a second node starting meanwhile waits on the lock, then finds nothing
/// to do. Each file runs in its own transaction with its row in `medvault_migrations`, so a failed migration
/// leaves no trace. The same refusals as on SQLite apply first (``Migrations/checkCanMigrate(applied:)``).
/// - important: Never erases anything; a database newer than the code is refused, not "fixed".
enum PostgresMigrator {
    /// The advisory lock key of schema migrations: the two 32-bit halves spell "mdvl" and "migr" in ASCII, so the
    /// lock is recognisable in `pg_locks` and cannot collide with another application's small integers.
    static let lockKey: (Int32, Int32) = (0x6D64_766C, 0x6D69_6772)

    /// Applies every pending migration in order and returns the identifiers it applied (empty if none).
    static func migrate(_ migrations: Migrations, client: PostgresClient, logger: Logger) async throws -> [String] {
        do {
            return try await PostgreSQLDatabase.withConnection(from: client) { connection in
                try await withAdvisoryLock(on: connection, logger: logger) {
                    try await applyPending(migrations, on: connection, logger: logger)
                }
            }
        } catch let error as MigrationError {
            throw error
        } catch {
            throw PostgreSQLDatabase.translate(error)
        }
    }

    /// Runs `body` while holding the migration lock on `connection`, waiting for another node's migration to end.
    private static func withAdvisoryLock<T>(on connection: PostgresConnection, logger: Logger, _ body: () async throws -> T) async throws -> T {
        let (classID, objectID) = lockKey
        _ = try await connection.query("SELECT pg_advisory_lock(\(classID), \(objectID))", logger: logger).collect()
        do {
            let value = try await body()
            _ = try await connection.query("SELECT pg_advisory_unlock(\(classID), \(objectID))", logger: logger).collect()
            return value
        } catch {
            // A lost connection releases the lock with the session.
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(classID), \(objectID))", logger: logger).collect()
            throw error
        }
    }

    private static func applyPending(_ migrations: Migrations, on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS medvault_migrations (
                identifier text PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
            )
            """,
            logger: logger
        )
        let applied = Set(try await connection.query("SELECT identifier FROM medvault_migrations", logger: logger).decodeAll(String.self))
        try migrations.checkCanMigrate(applied: applied)
        var newlyApplied: [String] = []
        for file in migrations.files where !applied.contains(file.identifier) {
            do {
                try await PostgreSQLDatabase.inTransaction(.write, on: connection, logger: logger) { connection in
                    for statement in PostgresStatementSplitter.statements(in: file.sql) {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("INSERT INTO medvault_migrations (identifier) VALUES (\(file.identifier))", logger: logger)
                }
            } catch {
                throw MigrationError.migrationFailed(identifier: file.identifier, cause: PostgreSQLDatabase.translate(error).description)
            }
            newlyApplied.append(file.identifier)
        }
        return newlyApplied
    }
}
