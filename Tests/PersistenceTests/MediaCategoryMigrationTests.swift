import Documents
import Foundation
import GRDB
import Testing

@testable import Persistence

/// 0011 rebuilds SQLite's documents table to widen the category CHECK; what was stored must come through whole.
@Suite("Media category migration")
struct MediaCategoryMigrationTests {
    @Test("0011 keeps the documents, their totals and their search index, and admits the media categories")
    func upgradeKeepsEverything() async throws {
        let before = try MigrationDirectory.before("0011")
        defer { before.remove() }
        let test = try TestDatabase()
        defer { test.remove() }
        let old = try test.open(migrations: before.url)
        let kept = Fixtures.document(key: "patients/p1/other/kept-discharge.txt", fileName: "discharge.txt", category: .other)
        let results = Fixtures.document(key: "patients/p1/lab-results/old-glucose.pdf", fileName: "glucose.pdf", category: .labResults)
        try await old.insertDocuments([kept, results], audit: [])
        let statsBefore = try await old.stats()

        let upgraded = try test.open()
        #expect(upgraded.migrationsAppliedAtOpen == (try MigrationDirectory.identifiers(from: "0011")))
        #expect(try await upgraded.document(id: kept.id) == kept)
        #expect(try await upgraded.document(id: results.id) == results)
        #expect(try await upgraded.stats() == statsBefore)
        try await upgraded.databasePool.write { db in
            // FTS5 checks its index against the content table row by row (by rowid).
            try db.execute(sql: "INSERT INTO documents_search(documents_search) VALUES ('integrity-check')")
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM documents_search WHERE documents_search MATCH 'discharge'") == 1)
        }
        let chat = Fixtures.document(key: "appointments/a1/chat/x-photo.png", fileName: "photo.png", contentType: "image/png", category: .chatImage)
        try await upgraded.insertDocuments([chat], audit: [])
        #expect(try await upgraded.stats().byCategory[.chatImage] == .init(count: 1, bytes: chat.size))
    }
}
