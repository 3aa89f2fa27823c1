import Audit
import Documents
import Foundation
import Testing

@testable import Persistence

@Suite("Documents: storage classes of lifecycle transitions")
struct StorageClassTests {
    static let transitionedAt = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 9000)

    private func transition(_ database: any AppDatabase, _ id: UUID, to storageClass: String) async throws {
        try await database.recordStorageClass(
            documentID: id,
            storageClass: storageClass,
            at: Self.transitionedAt,
            audit: Fixtures.audit(.lifecycleTransition)
        )
    }

    @Test("a transition is recorded with its audit row, and replaced by a later one", arguments: TestEngine.all)
    func recordAndRead(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/other/old.txt")
            try await database.insertDocuments([record], audit: [])
            #expect(try await database.storageClass(documentID: record.id) == nil)
            try await transition(database, record.id, to: "GLACIER_IR")
            #expect(try await database.storageClass(documentID: record.id) == "GLACIER_IR")
            try await transition(database, record.id, to: "INTELLIGENT_TIERING")
            #expect(try await database.storageClass(documentID: record.id) == "INTELLIGENT_TIERING")
            let actions = try await database.auditEvents(after: nil, limit: 10).map(\.entry.action)
            #expect(actions == [.lifecycleTransition, .lifecycleTransition])
            try await database.deleteDocument(id: record.id, audit: Fixtures.audit(.lifecycleErase))
            #expect(try await database.storageClass(documentID: record.id) == nil, "the record goes with its document")
        }
    }

    @Test("a held or missing document is refused and nothing is written", arguments: TestEngine.all)
    func refusals(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/other/held.txt")
            try await database.insertDocuments([record], audit: [])
            let hold = Fixtures.audit(.documentHold)
            _ = try await database.holdDocument(id: record.id, reason: "litigation", by: nil, at: Self.transitionedAt, audit: hold)
            let before = try await database.auditEvents(after: nil, limit: 10).count
            await #expect(throws: PersistenceError.legalHold) {
                try await transition(database, record.id, to: "GLACIER_IR")
            }
            await #expect(throws: PersistenceError.notFound) {
                try await transition(database, UUID(), to: "GLACIER_IR")
            }
            #expect(try await database.storageClass(documentID: record.id) == nil)
            #expect(try await database.auditEvents(after: nil, limit: 10).count == before)
        }
    }
}
