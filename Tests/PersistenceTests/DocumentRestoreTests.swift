import Audit
import Documents
import Foundation
import Testing

@testable import Persistence

@Suite("Documents: restoring from the archive")
struct DocumentRestoreTests {
    @Test("restoring puts the original key back, clears the archive columns, and writes its audit row", arguments: TestEngine.all)
    func restore(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/lab-results/x.pdf", category: .labResults)
            try await database.insertDocuments([record], audit: [Fixtures.audit()])
            let when = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 5000)
            _ = try await database.archiveDocument(id: record.id, archivedKey: "archived/" + record.key, at: when, audit: Fixtures.audit())
            let restored = try await database.restoreDocument(id: record.id, audit: Fixtures.audit(.documentRestore, request: 3))
            #expect(restored == record)
            #expect(try await database.document(id: record.id) == record)
            #expect(try await database.document(key: record.key) == record)
            #expect(try await database.document(key: "archived/" + record.key) == nil)
            let actions = try await database.auditEvents(after: nil, limit: 10).map(\.entry.action)
            #expect(actions == [.documentUpload, .documentUpload, .documentRestore])
        }
    }

    @Test("an active document is not_archived, an unknown id not_found, and neither writes an audit row", arguments: TestEngine.all)
    func refusals(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/other/y.txt")
            try await database.insertDocuments([record], audit: [])
            await #expect(throws: PersistenceError.notArchived) {
                try await database.restoreDocument(id: record.id, audit: Fixtures.audit(.documentRestore))
            }
            await #expect(throws: PersistenceError.notFound) {
                try await database.restoreDocument(id: UUID(), audit: Fixtures.audit(.documentRestore))
            }
            #expect(try await database.document(id: record.id) == record)
            #expect(try await database.auditEvents(after: nil, limit: 10).isEmpty)
        }
    }

    @Test("a document that took the original key meanwhile makes the restore a key_conflict, and nothing changes", arguments: TestEngine.all)
    func originalKeyTaken(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/other/z.txt")
            try await database.insertDocuments([record], audit: [])
            let archived = try await database.archiveDocument(
                id: record.id,
                archivedKey: "archived/" + record.key,
                at: Date(),
                audit: Fixtures.audit()
            )
            try await database.insertDocuments([Fixtures.document(key: record.key)], audit: [])
            await #expect(throws: PersistenceError.keyConflict) {
                try await database.restoreDocument(id: record.id, audit: Fixtures.audit(.documentRestore))
            }
            #expect(try await database.document(id: record.id) == archived)
            #expect(try await database.auditEvents(after: nil, limit: 10).map(\.entry.action) == [.documentUpload])
        }
    }
}
