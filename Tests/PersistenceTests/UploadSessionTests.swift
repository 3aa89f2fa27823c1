import Audit
import Documents
import Foundation
import Testing

@testable import Persistence

@Suite("Direct upload sessions: created with their audit row, moved between states, accepted with their document")
struct UploadSessionTests {
    static let start = Date(millisecondsSince1970: Fixtures.baseMilliseconds)

    static func session(id: UUID = UUID(), expiresIn seconds: TimeInterval = 900) -> UploadSessionRecord {
        UploadSessionRecord(
            id: id,
            stagingKey: "quarantine/\(id.lowercaseText)",
            documentKey: "patients/p1/medical-records/\(id.lowercaseText)-scan.pdf",
            fileName: "scan.pdf",
            size: 1234,
            sha256: String(repeating: "0f", count: 32),
            category: .medicalRecords,
            entityType: .patient,
            entityID: "p1",
            partSize: 8 * 1024 * 1024,
            partCount: 1,
            createdBy: "user-1",
            createdAt: start,
            expiresAt: start.addingTimeInterval(seconds)
        )
    }

    static func auditCount(_ database: any AppDatabase) async throws -> Int {
        try await RawSQL.column("SELECT COUNT(*) FROM audit_events", as: Int.self, in: database).first ?? -1
    }

    @Test("a created session reads back as stored, with its audit row", arguments: TestEngine.all)
    func createAndRead(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let session = Self.session()
            try await database.createUploadSession(session, audit: Fixtures.audit(.uploadCreate))
            #expect(try await database.uploadSession(id: session.id) == session)
            #expect(try await database.uploadSession(id: UUID()) == nil)
            #expect(try await Self.auditCount(database) == 1)
            await #expect(throws: PersistenceError.keyConflict) {
                try await database.createUploadSession(session, audit: Fixtures.audit(.uploadCreate, request: 2))
            }
            #expect(try await Self.auditCount(database) == 1, "a refused session writes no audit row")
        }
    }

    @Test("a transition happens only from the states it names", arguments: TestEngine.all)
    func transitions(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let session = Self.session()
            try await database.createUploadSession(session, audit: Fixtures.audit(.uploadCreate))
            let verifying = try await database.transitionUploadSession(
                id: session.id,
                from: [.pending, .verifying],
                to: .verifying,
                rejectionCode: nil,
                audit: nil
            )
            #expect(verifying?.state == .verifying)
            let rejected = try await database.transitionUploadSession(
                id: session.id,
                from: [.verifying],
                to: .rejected,
                rejectionCode: "checksum_mismatch",
                audit: Fixtures.audit(.uploadComplete, request: 2)
            )
            #expect(rejected?.state == .rejected && rejected?.rejectionCode == "checksum_mismatch")
            let aborted = try await database.transitionUploadSession(
                id: session.id,
                from: [.pending, .verifying],
                to: .aborted,
                rejectionCode: nil,
                audit: Fixtures.audit(.uploadAbort, request: 3)
            )
            #expect(aborted == nil, "a rejected session cannot be aborted")
            #expect(try await database.uploadSession(id: session.id)?.state == .rejected)
            #expect(try await Self.auditCount(database) == 2)
        }
    }

    @Test("acceptance commits the document, its audit row and the state together, once", arguments: TestEngine.all)
    func accept(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let session = Self.session()
            let document = Fixtures.document(key: session.documentKey, id: session.id)
            try await database.createUploadSession(session, audit: Fixtures.audit(.uploadCreate))
            await #expect(throws: PersistenceError.uploadAbandoned, "a pending session is not accepted") {
                try await database.acceptUploadSession(id: session.id, document: document, audit: [Fixtures.audit(request: 2)])
            }
            _ = try await database.transitionUploadSession(id: session.id, from: [.pending], to: .verifying, rejectionCode: nil, audit: nil)
            await #expect(throws: PersistenceError.uploadAbandoned, "without an upload intent for the key nothing commits") {
                try await database.acceptUploadSession(id: session.id, document: document, audit: [Fixtures.audit(request: 2)])
            }
            #expect(try await database.uploadSession(id: session.id)?.state == .verifying)
            try await database.recordUploadIntent(key: document.key, at: Self.start)
            try await database.acceptUploadSession(id: session.id, document: document, audit: [Fixtures.audit(request: 2)])
            #expect(try await database.uploadSession(id: session.id)?.state == .accepted)
            #expect(try await database.document(id: session.id) == document)
            #expect(try await Self.auditCount(database) == 2)
            await #expect(throws: PersistenceError.uploadAbandoned) {
                try await database.acceptUploadSession(id: session.id, document: document, audit: [Fixtures.audit(request: 3)])
            }
        }
    }

    @Test("the sweep finds open sessions past their expiry, verifying ones only past the later cutoff", arguments: TestEngine.all)
    func expired(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let old = Self.session(expiresIn: 10)
            let verifying = Self.session(expiresIn: 20)
            let young = Self.session(expiresIn: 900)
            let finished = Self.session(expiresIn: 5)
            for session in [old, verifying, young, finished] {
                try await database.createUploadSession(session, audit: Fixtures.audit(.uploadCreate))
            }
            _ = try await database.transitionUploadSession(id: verifying.id, from: [.pending], to: .verifying, rejectionCode: nil, audit: nil)
            _ = try await database.transitionUploadSession(id: finished.id, from: [.pending], to: .aborted, rejectionCode: nil, audit: nil)
            let now = Self.start.addingTimeInterval(60)
            let early = try await database.expiredUploadSessions(pendingBefore: now, verifyingBefore: Self.start, limit: 10)
            #expect(early.map(\.id) == [old.id])
            let late = try await database.expiredUploadSessions(pendingBefore: now, verifyingBefore: now, limit: 10)
            #expect(late.map(\.id) == [old.id, verifying.id])
            #expect(try await database.expiredUploadSessions(pendingBefore: now, verifyingBefore: now, limit: 1).map(\.id) == [old.id])
        }
    }
}
