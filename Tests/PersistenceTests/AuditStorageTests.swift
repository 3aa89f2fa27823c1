import Audit
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Audit trail: storage, append-only guards, verification")
struct AuditStorageTests {
    /// A database on `engine` with `count` audit rows appended through the public API.
    private func withTrail(count: Int, on engine: TestEngine = .sqlite, _ body: (any AppDatabase) async throws -> Void) async throws {
        try await TestDatabase.with(engine) { database in
            for index in 1...count {
                try await database.appendAudit(Fixtures.audit(.documentDownload, documentKey: "k/\(index)", request: index))
            }
            try await body(database)
        }
    }

    /// Runs SQL as an attacker with direct access would: first removing the append-only guards.
    private func tamper(_ database: any AppDatabase, _ sql: String) async throws {
        try await RawSQL.tamper(sql, in: database)
    }

    @Test("appended rows read back exactly as written and hashed, and page by sequence", arguments: TestEngine.all)
    func roundTrip(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let entry = AuditEntry(
                occurredAt: Date(timeIntervalSince1970: 1_750_000_000.987_6),
                action: .documentPresign,
                outcome: .denied,
                httpStatus: 403,
                errorCode: "forbidden",
                documentID: UUID().uuidString.lowercased(),
                documentKey: "patients/p1/imaging/é.png",
                patientID: "p1",
                actorID: "u",
                actorRole: "provider",
                breakGlass: true,
                reason: "emergency\0room",
                clientAddress: "::1",
                userAgent: "",
                requestID: "req-x",
                detail: nil
            )
            let written = try await database.appendAudit(entry)
            #expect(written.sequence == 1)
            #expect(written.previousHash == AuditChain.genesisHash)
            #expect(written.entry.reason == "emergency\u{FFFD}room")
            #expect(written.version == .keyed)
            #expect(
                written.hash
                    == AuditChain.keyedHash(sequence: 1, entry: written.entry, previousHash: AuditChain.genesisHash, key: TestDatabase.auditKey)
            )
            #expect(try await database.auditEvents(after: nil, limit: 10) == [written])
            for index in 2...10 {
                try await database.appendAudit(Fixtures.audit(request: index))
            }
            #expect(try await database.auditEvents(after: 5, limit: 3).map(\.sequence) == [6, 7, 8])
            #expect(try await database.verifyAuditChain() == .intact(count: 10))
        }
    }

    @Test("the cached INSERT of the append path names exactly the columns a record encodes")
    func insertColumns() throws {
        let record = AuditChain.seal(
            sequence: 1,
            entry: Fixtures.audit(patientID: "p1"),
            previousHash: AuditChain.genesisHash,
            key: TestDatabase.auditKey
        )
        let encoded = try AuditEventRow(record).databaseDictionary
        let list = try #require(AuditEventRow.insertSQL.split(separator: "(").dropFirst().first?.split(separator: ")").first)
        let columns = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(Set(columns) == Set(encoded.keys))
        #expect(columns.count == encoded.count)
        // StatementArguments is not Equatable; its description lists the values in order.
        let expected = StatementArguments(columns.map { encoded[$0] ?? .null })
        #expect(AuditEventRow(record).insertArguments.description == expected.description)
    }

    @Test("SQLite's triggers refuse UPDATE and DELETE (PostgresEngineTests checks PostgreSQL's)")
    func appendOnly() async throws {
        try await withTrail(count: 3) { database in
            let sqlite = try #require(database as? SQLiteDatabase)
            for sql in ["UPDATE audit_events SET detail = 'x' WHERE sequence = 2", "DELETE FROM audit_events WHERE sequence = 3"] {
                await #expect {
                    try await sqlite.databasePool.write { db in try db.execute(sql: sql) }
                } throws: { error in
                    (error as? DatabaseError)?.message == "audit_events is append-only"
                }
            }
            let verdict = try await database.verifyAuditChain()
            #expect(verdict == .intact(count: 3))
        }
    }

    @Test("an edited middle row is reported at its sequence", arguments: TestEngine.all)
    func editedRow(_ engine: TestEngine) async throws {
        try await withTrail(count: 12, on: engine) { database in
            try await tamper(database, "UPDATE audit_events SET actor_id = 'someone-else' WHERE sequence = 6")
            #expect(try await database.verifyAuditChain() == .broken(sequence: 6, reason: .hashMismatch))
        }
    }

    @Test("a deleted middle row is reported as a gap", arguments: TestEngine.all)
    func deletedMiddleRow(_ engine: TestEngine) async throws {
        try await withTrail(count: 12, on: engine) { database in
            try await tamper(database, "DELETE FROM audit_events WHERE sequence = 6")
            #expect(try await database.verifyAuditChain() == .broken(sequence: 6, reason: .missingRows(resumesAt: 7)))
        }
    }

    @Test("deleted last rows are detected through sqlite_sequence, and later appends keep the gap visible")
    func deletedTail() async throws {
        try await withTrail(count: 12) { database in
            try await tamper(database, "DELETE FROM audit_events WHERE sequence >= 11")
            #expect(try await database.verifyAuditChain() == .broken(sequence: 11, reason: .missingTail(highestIssued: 12)))
            let next = try await database.appendAudit(Fixtures.audit(request: 99))
            #expect(next.sequence == 13)
            #expect(try await database.verifyAuditChain() == .broken(sequence: 11, reason: .missingRows(resumesAt: 13)))
        }
    }

    @Test("an edited sequence counter is reported")
    func editedCounter() async throws {
        try await withTrail(count: 5) { database in
            try await tamper(database, "UPDATE sqlite_sequence SET seq = 2 WHERE name = 'audit_events'")
            #expect(try await database.verifyAuditChain() == .broken(sequence: 5, reason: .counterBehind(highestIssued: 2)))
        }
    }

    @Test("an empty trail is intact", arguments: TestEngine.all)
    func emptyTrail(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let verdict = try await database.verifyAuditChain()
            #expect(verdict == .intact(count: 0))
        }
    }

    @Test("200 concurrent appends keep one valid chain with sequences 1...200", arguments: TestEngine.all)
    func concurrentAppends(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            try await withThrowingTaskGroup(of: AuditRecord.self) { group in
                for index in 1...200 {
                    group.addTask { try await database.appendAudit(Fixtures.audit(request: index)) }
                }
                var sequences: [Int64] = []
                for try await record in group {
                    sequences.append(record.sequence)
                }
                #expect(sequences.sorted() == Array(1...200))
            }
            #expect(try await database.verifyAuditChain() == .intact(count: 200))
            let requests = Set(try await database.auditEvents(after: nil, limit: 1000).map(\.entry.requestID))
            #expect(requests.count == 200)
        }
    }
}
