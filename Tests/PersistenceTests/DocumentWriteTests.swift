import Audit
import Documents
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Documents: writes, constraints, atomicity")
struct DocumentWriteTests {
    @Test("a document reads back equal, with a lowercase text id and millisecond dates")
    func roundTrip() async throws {
        try await TestDatabase.with { database in
            var record = Fixtures.document(key: "patients/p1/medical-records/a-report.pdf", fileName: "Ünïcode Report.PDF")
            record.uploadedAt = Date(timeIntervalSince1970: 1_750_000_000.123_4)
            try await database.insertDocuments([record], audit: [Fixtures.audit()])
            let stored = try #require(try await database.document(id: record.id))
            #expect(stored.uploadedAt.millisecondsSince1970 == 1_750_000_000_123)
            record.uploadedAt = stored.uploadedAt
            #expect(stored == record)
            #expect(stored.searchName == "ünïcode report.pdf")
            #expect(try await database.document(key: record.key) == stored)
            #expect(try await database.document(id: UUID()) == nil)
            // The query interface selects the columns in the order the row is read by position.
            #expect(try await database.databasePool.read { db in try DocumentRecord.fetchOne(db) } == stored)
            let raw = try await database.databasePool.read { db in
                (try String.fetchOne(db, sql: "SELECT id FROM documents"), try Int64.fetchOne(db, sql: "SELECT uploaded_at FROM documents"))
            }
            #expect(raw.0 == record.id.uuidString.lowercased())
            #expect(raw.1 == 1_750_000_000_123)
        }
    }

    @Test("inserts derive search_name from the file name, whatever the record says", arguments: TestEngine.all)
    func searchNameIsDerived(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            var record = Fixtures.document(key: "k", fileName: "E\u{0301}CHO.PDF")
            record.searchName = "something else"
            try await database.insertDocuments([record], audit: [])
            #expect(try await database.document(id: record.id)?.searchName == "\u{E9}cho.pdf")
        }
    }

    @Test(
        "CHECK constraints refuse bad rows",
        arguments: [
            ("size", "0"),
            ("category", "'x-rays'"),
            ("entity_type", "'nurse'"),
            ("sha256", "'abc'"),
            ("sha256", "'" + String(repeating: "AB", count: 32) + "'"),
            ("status", "'deleted'"),
            ("status", "'archived'"),
            ("id", "'" + UUID().uuidString + "'"),
            ("uploaded_at", "'yesterday'"),
            ("key", "''"),
        ]
    )
    func checkConstraints(column: String, value: String) async throws {
        try await TestDatabase.with { database in
            var values: [String: String] = [
                "id": "'" + UUID().uuidString.lowercased() + "'", "key": "'k'", "file_name": "'f.pdf'", "search_name": "'f.pdf'",
                "size": "1", "content_type": "'application/pdf'", "category": "'imaging'", "entity_type": "'patient'",
                "entity_id": "'p1'", "sha256": "'" + String(repeating: "0", count: 64) + "'", "etag": "'e'", "uploaded_at": "1",
                "status": "'active'",
            ]
            let valid = values
            values[column] = value
            for (row, shouldFail) in [(valid, false), (values, true)] {
                let sql = "INSERT INTO documents (\(row.keys.joined(separator: ","))) VALUES (\(row.values.joined(separator: ",")))"
                let insert: @Sendable (Database) throws -> Void = { db in
                    try db.execute(sql: sql)
                    try db.execute(sql: "DELETE FROM documents")
                }
                if shouldFail {
                    await #expect(throws: DatabaseError.self) { try await database.databasePool.write(insert) }
                } else {
                    try await database.databasePool.write(insert)
                }
            }
        }
    }

    @Test("bad rows and duplicate keys are typed errors, and nothing of the batch is kept", arguments: TestEngine.all)
    func typedErrorsAndAtomicBatch(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let good = Fixtures.document(key: "patients/p1/imaging/a.png")
            let bad = Fixtures.document(key: "patients/p1/imaging/b.png", size: 0)
            await #expect(throws: PersistenceError.constraintViolation) {
                try await database.insertDocuments([good, bad], audit: [Fixtures.audit(), Fixtures.audit(request: 2)])
            }
            #expect(try await database.document(id: good.id) == nil)
            #expect(try await database.auditEvents(after: nil, limit: 10).isEmpty)

            try await database.insertDocuments([good], audit: [Fixtures.audit()])
            let sameKey = Fixtures.document(key: good.key)
            await #expect(throws: PersistenceError.keyConflict) { try await database.insertDocuments([sameKey], audit: []) }
            var sameID = Fixtures.document(key: "patients/p1/imaging/c.png")
            sameID.id = good.id
            await #expect(throws: PersistenceError.keyConflict) { try await database.insertDocuments([sameID], audit: []) }
        }
    }

    @Test("when the audit row cannot be written, the document row is not written either")
    func failingAuditRollsBack() async throws {
        try await TestDatabase.with { database in
            let kept = Fixtures.document(key: "patients/p1/other/kept.txt")
            try await database.insertDocuments([kept], audit: [Fixtures.audit()])
            try await database.databasePool.write { db in
                try db.execute(sql: "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'disk full'); END")
            }
            let record = Fixtures.document(key: "patients/p1/other/lost.txt")
            await #expect(throws: PersistenceError.database) { try await database.insertDocuments([record], audit: [Fixtures.audit()]) }
            #expect(try await database.document(id: record.id) == nil)
            await #expect(throws: PersistenceError.database) {
                try await database.archiveDocument(id: kept.id, archivedKey: "archived/kept.txt", at: Date(), audit: Fixtures.audit())
            }
            #expect(try await database.document(id: kept.id)?.status == .active)
            await #expect(throws: PersistenceError.database) { try await database.deleteDocument(id: kept.id, audit: Fixtures.audit()) }
            #expect(try await database.document(id: kept.id) != nil)
            await #expect(throws: PersistenceError.database) { try await database.appendAudit(Fixtures.audit()) }
        }
    }

    @Test("archiving moves the key, keeps the original, and can happen only once", arguments: TestEngine.all)
    func archive(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/lab-results/x.pdf", category: .labResults)
            try await database.insertDocuments([record], audit: [Fixtures.audit()])
            let when = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 5000)
            let archived = try await database.archiveDocument(
                id: record.id,
                archivedKey: "archived/patients/p1/lab-results/x.pdf",
                at: when,
                audit: Fixtures.audit(.documentArchive, request: 2)
            )
            #expect(archived.status == .archived)
            #expect(archived.key == "archived/patients/p1/lab-results/x.pdf")
            #expect(archived.originalKey == record.key)
            #expect(archived.archivedAt == when)
            #expect(try await database.document(id: record.id) == archived)
            #expect(try await database.document(key: record.key) == nil)
            await #expect(throws: PersistenceError.alreadyArchived) {
                try await database.archiveDocument(id: record.id, archivedKey: "archived/again", at: when, audit: Fixtures.audit())
            }
            await #expect(throws: PersistenceError.notFound) {
                try await database.archiveDocument(id: UUID(), archivedKey: "archived/none", at: when, audit: Fixtures.audit())
            }
            let actions = try await database.auditEvents(after: nil, limit: 10).map(\.entry.action)
            #expect(actions == [.documentUpload, .documentArchive])
        }
    }

    @Test("deleting removes the row, returns it, and writes the audit row", arguments: TestEngine.all)
    func delete(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/imaging/scan.dcm", contentType: "application/dicom", category: .imaging)
            try await database.insertDocuments([record], audit: [Fixtures.audit()])
            let removed = try await database.deleteDocument(id: record.id, audit: Fixtures.audit(.documentDelete, request: 2))
            #expect(removed == record)
            #expect(try await database.document(id: record.id) == nil)
            await #expect(throws: PersistenceError.notFound) { try await database.deleteDocument(id: record.id, audit: Fixtures.audit()) }
            #expect(try await database.auditEvents(after: nil, limit: 10).map(\.entry.action) == [.documentUpload, .documentDelete])
        }
    }

    @Test("a full disk is storage_full (answered 507), and nothing of the transaction is kept")
    func fullDatabase() async throws {
        try await TestDatabase.with { database in
            try await database.databasePool.writeWithoutTransaction { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            }
            let records = (0..<200).map { Fixtures.document(key: "patients/p1/other/\($0)-" + String(repeating: "k", count: 500)) }
            await #expect(throws: PersistenceError.storageFull) { try await database.insertDocuments(records, audit: [Fixtures.audit()]) }
            #expect(try await database.auditEvents(after: nil, limit: 10).isEmpty)
        }
    }
}
