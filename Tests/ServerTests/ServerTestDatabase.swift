import Audit
import Crypto
import Foundation
import Persistence

/// A real SQLite database for server tests that need one outside a running application, with the
/// repository's migrations and a fixed audit key.
enum ServerTestDatabase {
    static let auditKey = AuditKey(SymmetricKey(data: [UInt8](repeating: 0x5A, count: 32)))

    /// Opens (creating and migrating) `medvault.sqlite` in `directory`.
    static func open(in directory: URL) throws -> SQLiteDatabase {
        try SQLiteDatabase(
            path: directory.appendingPathComponent("medvault.sqlite").path,
            migrationsDirectory: AuthHarness.repository.appendingPathComponent("migrations/sqlite"),
            auditKey: auditKey
        )
    }
}
