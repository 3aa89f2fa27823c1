import Audit
import Foundation
import Logging

/// `medvault db copy --from-sqlite PATH`: moves an install from its SQLite file to the PostgreSQL database several
/// nodes will share, and proves the audit chain arrived whole.
package enum DatabaseCopy {
    /// What a copy did: rows per table, and the verdict on the chain as PostgreSQL now holds it.
    package struct Report: Sendable {
        package let rows: [(table: String, rows: Int)]
        package let verification: AuditVerification
    }

    /// Opens the SQLite file at `sqlitePath` (applying its pending migrations, as a start of that install would) and
    /// the PostgreSQL database at `target` (migrating it), both with `auditKey`, copies the one into the other
    /// (``SQLiteToPostgres``), then verifies the copied chain with the key. Throws ``DatabaseCopyError`` when the
    /// target is not empty, ``MigrationError`` or ``PersistenceError`` when either database fails.
    package static func copy(
        sqlitePath: String,
        to target: PostgresLocation,
        migrationsRoot: URL,
        auditKey: AuditKey,
        logger: Logger
    ) async throws -> Report {
        guard FileManager.default.fileExists(atPath: sqlitePath) else {
            throw DatabaseCopyError(description: "no SQLite database at the path given to --from-sqlite")
        }
        let source = try SQLiteDatabase(
            path: sqlitePath,
            migrationsDirectory: DatabaseLocation.sqlite(path: sqlitePath).migrationsDirectory(in: migrationsRoot),
            auditKey: auditKey
        )
        let postgres = try await PostgreSQLDatabase.open(
            target,
            migrationsDirectory: DatabaseLocation.postgres(target).migrationsDirectory(in: migrationsRoot),
            auditKey: auditKey,
            logger: logger
        )
        do {
            let rows = try await SQLiteToPostgres.copy(from: source, to: postgres)
            let verification = try await postgres.verifyAuditChain()
            await postgres.close()
            await source.close()
            return Report(rows: rows, verification: verification)
        } catch {
            await postgres.close()
            await source.close()
            throw error
        }
    }
}
