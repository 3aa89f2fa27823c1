import Audit
import Documents
import Foundation
import GRDB
import Testing

@testable import Persistence

/// 0013 rebuilds SQLite's documents table to admit the `missing` status; every column and every row that refers to a
/// document (legal holds, media categories, storage classes, URL revocations) must come through whole.
@Suite("Missing status migration")
struct MissingStatusMigrationTests {
    @Test("0013 keeps held, archived and media documents with their storage classes, revocations and search index")
    func upgradeKeepsEverything() async throws {
        let before = try MigrationDirectory.before("0013")
        defer { before.remove() }
        let test = try TestDatabase()
        defer { test.remove() }
        let old = try test.open(migrations: before.url)
        let held = Fixtures.document(key: "patients/p1/other/held-discharge.txt", fileName: "discharge.txt", category: .other)
        let archived = Fixtures.document(key: "patients/p1/lab-results/old-glucose.pdf", fileName: "glucose.pdf", category: .labResults)
        let chat = Fixtures.document(key: "appointments/a1/chat/x-photo.png", fileName: "photo.png", contentType: "image/png", category: .chatImage)
        try await old.insertDocuments([held, archived, chat], audit: [])
        let when = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try await old.holdDocument(id: held.id, reason: "litigation", by: "admin-1", at: when, audit: Fixtures.audit())
        _ = try await old.archiveDocument(id: archived.id, archivedKey: "archived/\(archived.key)", at: when, audit: Fixtures.audit())
        try await old.recordStorageClass(documentID: chat.id, storageClass: "GLACIER_IR", at: when, audit: Fixtures.audit())
        _ = try await old.revokeURLs(documentID: held.id, notBefore: when, newKey: nil, audit: Fixtures.audit())
        let rowsBefore = try await [held.id, archived.id, chat.id].asyncMap { try await old.document(id: $0) }
        let statsBefore = try await old.stats()

        let upgraded = try test.open()
        #expect(upgraded.migrationsAppliedAtOpen == (try MigrationDirectory.identifiers(from: "0013")))
        #expect(try await [held.id, archived.id, chat.id].asyncMap { try await upgraded.document(id: $0) } == rowsBefore)
        #expect(try await upgraded.stats() == statsBefore)
        #expect(try await upgraded.storageClass(documentID: chat.id) == "GLACIER_IR")
        #expect(try await upgraded.urlsNotBefore(documentID: held.id) == when)
        try await upgraded.databasePool.write { db in
            try db.execute(sql: "INSERT INTO documents_search(documents_search) VALUES ('integrity-check')")
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
        }
        #expect(try await upgraded.markDocumentMissing(id: archived.id, audit: Fixtures.audit(.reconcileMarkMissing)).status == .missing)
    }
}

extension Array {
    /// The results of `transform` on each element, in order.
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
