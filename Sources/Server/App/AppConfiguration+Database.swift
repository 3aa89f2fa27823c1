import Audit
import Foundation
import Logging
import ObjectStorage
import Persistence

extension AppConfiguration {
    /// The file the generated audit key is kept in, beside `storage.key`, when `MEDVAULT_AUDIT_KEY` is not set.
    package static let auditKeyFileName = "audit.key"

    /// The key of the audit chain: `MEDVAULT_AUDIT_KEY` (base64 of 32 bytes) if set, else `<data>/audit.key`, created
    /// on first use with mode 0600 and refused when others can read it, by the rules of `storage.key`
    /// (``StorageKeyProvider``).
    ///
    /// `medvault serve` and every command read it here, so `medvault audit verify` checks with the server's key.
    /// - important: A secret: it is never logged, never shown by `/config`, and never stored in the database.
    package func loadAuditKey() throws(StorageKeyError) -> AuditKey {
        let file = dataDirectory.appendingPathComponent(Self.auditKeyFileName)
        return AuditKey(try StorageKeyProvider.key(configured: auditKey?.value, variable: "MEDVAULT_AUDIT_KEY", file: file))
    }

    /// The database of this configuration, opened as the server and every command open it: the data directory made
    /// private first (``DataDirectory/prepare(_:)``), then ``database`` (PostgreSQL with `DATABASE_URL`, else SQLite
    /// under the data directory) with its engine's pending migrations applied and the audit key. `logger` receives
    /// PostgreSQL's connection events. Close it with ``AppDatabase/close()`` when done.
    package func openDatabase(logger: Logger) async throws -> any AppDatabase {
        try DataDirectory.prepare(dataDirectory)
        return try await database.open(migrationsRoot: migrationsDirectory, auditKey: try loadAuditKey(), logger: logger)
    }
}
