import Audit
import Documents
import Foundation
import Testing

@testable import Persistence

@Suite("Entity erasure: rows marked missing first, then deleted with the audit row; a hold refuses it")
struct EntityErasureTests {
    static func document(_ key: String, entity: String, size: Int64) -> DocumentRecord {
        var record = Fixtures.document(key: key, size: size)
        record.entityID = entity
        return record
    }

    @Test("begin marks every row of the entity missing and counts them; finish deletes them and writes the audit row", arguments: TestEngine.all)
    func beginsAndFinishes(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let first = Self.document("patients/p1/other/a.pdf", entity: "p1", size: 10)
            let second = Self.document("patients/p1/other/b.pdf", entity: "p1", size: 20)
            let other = Self.document("patients/p2/other/c.pdf", entity: "p2", size: 30)
            try await database.insertDocuments([first, second, other], audit: [Fixtures.audit()])
            _ = try await database.archiveDocument(
                id: second.id,
                archivedKey: "archived/patients/p1/other/b.pdf",
                at: Date(),
                audit: Fixtures.audit()
            )

            let plan = try await database.beginEntityErasure(entityType: .patient, entityID: "p1")
            #expect(plan == EntityErasurePlan(documents: 2, bytes: 30, openUploads: []))
            #expect(try await database.document(id: first.id)?.status == .missing)
            #expect(try await database.document(id: second.id)?.status == .missing)
            // Running it again (after a crash) finds the same rows.
            #expect(try await database.beginEntityErasure(entityType: .patient, entityID: "p1") == plan)

            let record = try await database.finishEntityErasure(entityType: .patient, entityID: "p1", audit: Fixtures.audit(.entityErase))
            #expect(record.entry.action == .entityErase)
            #expect(try await database.document(id: first.id) == nil)
            #expect(try await database.document(id: second.id) == nil)
            #expect(try await database.document(id: other.id)?.status == .active)
            #expect(try await database.stats().totalCount == 1)
            #expect(try await database.verifyAuditChain().isIntact)
        }
    }

    @Test("a held document refuses the whole erasure and changes nothing", arguments: TestEngine.all)
    func holdRefuses(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let free = Self.document("patients/p1/other/a.pdf", entity: "p1", size: 10)
            let held = Self.document("patients/p1/other/b.pdf", entity: "p1", size: 20)
            try await database.insertDocuments([free, held], audit: [Fixtures.audit()])
            _ = try await database.holdDocument(id: held.id, reason: "litigation", by: nil, at: Date(), audit: Fixtures.audit())
            await #expect(throws: PersistenceError.legalHold) {
                _ = try await database.beginEntityErasure(entityType: .patient, entityID: "p1")
            }
            await #expect(throws: PersistenceError.legalHold) {
                _ = try await database.finishEntityErasure(entityType: .patient, entityID: "p1", audit: Fixtures.audit(.entityErase))
            }
            #expect(try await database.document(id: free.id)?.status == .active)
            #expect(try await database.document(id: held.id) != nil)
        }
    }
}
