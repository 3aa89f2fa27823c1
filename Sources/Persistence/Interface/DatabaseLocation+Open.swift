import Audit
import Foundation
import Logging

extension DatabaseLocation {
    /// Opens the database here with its engine, applying the pending migrations of the engine's folder in
    /// `migrationsRoot` (``migrationsDirectory(in:)``); audit rows are sealed and verified with `auditKey`. `logger`
    /// receives a server engine's connection events (never row data).
    ///
    /// Throws ``MigrationError`` for migrations that cannot be applied, ``PersistenceError`` otherwise (for
    /// PostgreSQL, ``PersistenceError/unavailable`` when the server cannot be reached, and
    /// ``PersistenceError/auditKeyMismatch`` when the chain was written with another key).
    package func open(migrationsRoot: URL, auditKey: AuditKey, logger: Logger) async throws -> any AppDatabase {
        let migrations = migrationsDirectory(in: migrationsRoot)
        switch self {
        case .sqlite(let path):
            return try SQLiteDatabase(path: path, migrationsDirectory: migrations, auditKey: auditKey)
        case .postgres(let location):
            return try await PostgreSQLDatabase.open(location, migrationsDirectory: migrations, auditKey: auditKey, logger: logger)
        }
    }
}
