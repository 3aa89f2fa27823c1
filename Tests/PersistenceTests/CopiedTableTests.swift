import GRDB
import Testing

@testable import Persistence

/// `medvault db copy` must move every table a SQLite install holds: a table added by a migration and forgotten in
/// ``CopiedTable/all`` would be silently left behind (revoked URLs becoming valid again, sessions of direct uploads
/// lost). Tables the target derives itself are named here, with the reason in ``CopiedTable``.
@Suite("db copy covers every SQLite table")
struct CopiedTableTests {
    static let derived: Set<String> = ["document_totals", "audit_chain_keying", "grdb_migrations"]

    @Test("each table of the migrated schema is copied or derived by the target")
    func everyTableIsCovered() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let database = try test.open()
        let tables = try await database.databasePool.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'documents_search%'"
            )
        }
        let copied = Set(CopiedTable.all.map(\.name))
        #expect(!tables.isEmpty)
        for table in tables {
            #expect(copied.contains(table) || Self.derived.contains(table), "db copy leaves \(table) behind")
        }
    }
}
