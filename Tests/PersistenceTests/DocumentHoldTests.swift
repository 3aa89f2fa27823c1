import Audit
import Documents
import Foundation
import Testing

@testable import Persistence

@Suite("Documents: legal hold")
struct DocumentHoldTests {
    static let heldAt = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 7000)

    @Test("a hold is stored on the row, listed with it, and released", arguments: TestEngine.all)
    func holdAndRelease(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/other/held.txt")
            try await database.insertDocuments([record], audit: [])
            let held = try await database.holdDocument(
                id: record.id,
                reason: "Case 14",
                by: "admin-1",
                at: Self.heldAt,
                audit: Fixtures.audit(.documentHold)
            )
            #expect((held.holdReason, held.heldAt, held.heldBy, held.isHeld) == ("Case 14", Self.heldAt, "admin-1", true))
            #expect(try await database.document(id: record.id) == held)
            #expect(try await database.listDocuments(DocumentQuery(prefix: "patients/")).documents == [held])
            let replaced = try await database.holdDocument(
                id: record.id,
                reason: "Case 15",
                by: nil,
                at: Self.heldAt,
                audit: Fixtures.audit(.documentHold)
            )
            #expect((replaced.holdReason, replaced.heldBy) == ("Case 15", nil))
            let released = try await database.releaseHold(id: record.id, audit: Fixtures.audit(.documentHoldRelease))
            #expect(released == record)
            await #expect(throws: PersistenceError.notHeld) {
                try await database.releaseHold(id: record.id, audit: Fixtures.audit(.documentHoldRelease))
            }
            await #expect(throws: PersistenceError.notFound) {
                try await database.holdDocument(id: UUID(), reason: "x", by: nil, at: Self.heldAt, audit: Fixtures.audit(.documentHold))
            }
            let actions = try await database.auditEvents(after: nil, limit: 10).map(\.entry.action)
            #expect(actions == [.documentHold, .documentHold, .documentHoldRelease])
        }
    }

    @Test("a held document can be neither archived nor deleted, and the refusal writes nothing", arguments: TestEngine.all)
    func holdBlocksRemoval(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let active = Fixtures.document(key: "patients/p1/other/a.txt")
            let archived = Fixtures.document(key: "patients/p1/other/b.txt")
            try await database.insertDocuments([active, archived], audit: [])
            _ = try await database.archiveDocument(id: archived.id, archivedKey: "archived/" + archived.key, at: Self.heldAt, audit: Fixtures.audit())
            for id in [active.id, archived.id] {
                _ = try await database.holdDocument(id: id, reason: "litigation", by: nil, at: Self.heldAt, audit: Fixtures.audit(.documentHold))
            }
            let before = try await database.auditEvents(after: nil, limit: 10).count
            await #expect(throws: PersistenceError.legalHold) {
                try await database.archiveDocument(id: active.id, archivedKey: "archived/" + active.key, at: Date(), audit: Fixtures.audit())
            }
            for id in [active.id, archived.id] {
                await #expect(throws: PersistenceError.legalHold) {
                    try await database.deleteDocument(id: id, audit: Fixtures.audit(.documentDelete))
                }
                #expect(try await database.document(id: id)?.isHeld == true)
            }
            #expect(try await database.document(id: active.id)?.status == .active)
            #expect(try await database.auditEvents(after: nil, limit: 10).count == before)
            _ = try await database.releaseHold(id: active.id, audit: Fixtures.audit(.documentHoldRelease))
            try await database.deleteDocument(id: active.id, audit: Fixtures.audit(.documentDelete))
            #expect(try await database.document(id: active.id) == nil)
        }
    }
}
