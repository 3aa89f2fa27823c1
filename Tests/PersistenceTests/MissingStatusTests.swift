import Audit
import Documents
import Foundation
import Testing

@testable import Persistence

@Suite("The missing status: marked by reconcile, listed on its own, out of the statistics")
struct MissingStatusTests {
    @Test("an active and an archived row can be marked missing, keep what they were, and list only as missing", arguments: TestEngine.all)
    func marksAndLists(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let active = Fixtures.document(key: "patients/p1/other/a.pdf", size: 10)
            let archived = Fixtures.document(key: "patients/p1/other/b.pdf", size: 20)
            let kept = Fixtures.document(key: "patients/p1/other/c.pdf", size: 30)
            try await database.insertDocuments([active, archived, kept], audit: [Fixtures.audit()])
            _ = try await database.archiveDocument(
                id: archived.id,
                archivedKey: "archived/patients/p1/other/b.pdf",
                at: Date(),
                audit: Fixtures.audit()
            )

            let marked = try await database.markDocumentMissing(id: active.id, audit: Fixtures.audit(.reconcileMarkMissing))
            #expect(marked.status == .missing && marked.originalKey == nil)
            let markedArchived = try await database.markDocumentMissing(id: archived.id, audit: Fixtures.audit(.reconcileMarkMissing))
            #expect(markedArchived.status == .missing && markedArchived.originalKey == archived.key && markedArchived.archivedAt != nil)
            // A second fix of the same row changes nothing.
            #expect(try await database.markDocumentMissing(id: active.id, audit: Fixtures.audit(.reconcileMarkMissing)).status == .missing)

            #expect(try await database.listDocuments(DocumentQuery()).documents.map(\.key) == [kept.key])
            #expect(try await database.listDocuments(DocumentQuery(archived: true)).documents.isEmpty)
            var missing = DocumentQuery()
            missing.missing = true
            #expect(try await database.listDocuments(missing).documents.map(\.key) == ["archived/patients/p1/other/b.pdf", active.key])

            let stats = try await database.stats()
            #expect(stats.totalCount == 1 && stats.totalBytes == 30)
            #expect(stats.archivedCount == 0)

            let entries = try await database.reconcileKeys(after: nil, limit: 10)
            #expect(entries.filter { $0.kind == .markedMissing }.count == 2)
            #expect(try await database.verifyAuditChain().isIntact)
        }
    }

    @Test("marking a document that does not exist is notFound", arguments: TestEngine.all)
    func unknownDocument(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            _ = await #expect(throws: PersistenceError.notFound) {
                try await database.markDocumentMissing(id: UUID(), audit: Fixtures.audit(.reconcileMarkMissing))
            }
        }
    }
}
