import Audit
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Upload intents: recorded, settled by the insert, claimed by the sweep")
struct UploadIntentTests {
    static let key = "patients/p1/medical-records/0b7a-report.pdf"
    static let start = Date(millisecondsSince1970: Fixtures.baseMilliseconds)

    static func intents(_ database: any AppDatabase) async throws -> [String] {
        try await RawSQL.column("SELECT key FROM upload_intents ORDER BY key", as: String.self, in: database)
    }

    static func counts(_ database: any AppDatabase) async throws -> (documents: Int, audit: Int) {
        let documents = try await RawSQL.column("SELECT COUNT(*) FROM documents", as: Int.self, in: database)
        let audit = try await RawSQL.column("SELECT COUNT(*) FROM audit_events", as: Int.self, in: database)
        return (documents.first ?? -1, audit.first ?? -1)
    }

    @Test("the insert of an upload's documents deletes their intents in the same transaction", arguments: TestEngine.all)
    func insertSettlesIntents(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let other = Self.key + "-other"
            try await database.recordUploadIntent(key: Self.key, at: Self.start)
            try await database.recordUploadIntent(key: other, at: Self.start)
            try await database.insertUploadedDocuments([Fixtures.document(key: Self.key)], audit: [Fixtures.audit()])
            #expect(try await Self.intents(database) == [other])
            #expect(try await database.document(key: Self.key) != nil)
        }
    }

    @Test("an upload whose intent is missing or claimed by the sweep inserts nothing", arguments: TestEngine.all)
    func claimedIntentCannotCommit(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            await #expect(throws: PersistenceError.uploadAbandoned) {
                try await database.insertUploadedDocuments([Fixtures.document(key: Self.key)], audit: [Fixtures.audit()])
            }
            try await database.recordUploadIntent(key: Self.key, at: Self.start)
            let claimed = try await database.abandonUploadIntents(
                startedBefore: Self.start.addingTimeInterval(1),
                at: Self.start.addingTimeInterval(2),
                limit: 10
            )
            #expect(claimed == [Self.key])
            await #expect(throws: PersistenceError.uploadAbandoned) {
                try await database.insertUploadedDocuments([Fixtures.document(key: Self.key)], audit: [Fixtures.audit()])
            }
            let counts = try await Self.counts(database)
            #expect(counts.documents == 0 && counts.audit == 0)
            #expect(try await Self.intents(database) == [Self.key], "the claim stays until the sweep has removed the object")
        }
    }

    @Test("the sweep claims only intents older than the cutoff, and returns unfinished claims again", arguments: TestEngine.all)
    func claimsOnlyOldIntents(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let young = Self.key + "-young"
            try await database.recordUploadIntent(key: Self.key, at: Self.start)
            try await database.recordUploadIntent(key: young, at: Self.start.addingTimeInterval(60))
            let cutoff = Self.start.addingTimeInterval(30)
            #expect(try await database.abandonUploadIntents(startedBefore: cutoff, at: cutoff, limit: 10) == [Self.key])
            // The sweep died before removing the object: the next one finds the claim again.
            #expect(try await database.abandonUploadIntents(startedBefore: cutoff, at: cutoff, limit: 10) == [Self.key])
            try await database.deleteUploadIntents(keys: [Self.key])
            #expect(try await database.abandonUploadIntents(startedBefore: cutoff, at: cutoff, limit: 10) == [])
            // The young upload is untouched and still commits.
            try await database.insertUploadedDocuments([Fixtures.document(key: young)], audit: [])
            #expect(try await Self.intents(database) == [])
        }
    }

    @Test("an intent whose key has a document row is forgotten, never handed to the sweep")
    func documentObjectsAreNeverSwept() async throws {
        try await TestDatabase.with { database in
            try await database.insertDocuments([Fixtures.document(key: Self.key)], audit: [])
            try await database.databasePool.write { db in
                try db.execute(sql: "INSERT INTO upload_intents (key, started_at) VALUES (?, 0)", arguments: [Self.key])
            }
            #expect(try await database.abandonUploadIntents(startedBefore: Self.start, at: Self.start, limit: 10) == [])
            #expect(try await Self.intents(database) == [])
        }
    }

    @Test("claims come oldest first, at most `limit` at a time", arguments: TestEngine.all)
    func claimsAreBatched(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            for index in 0..<5 {
                try await database.recordUploadIntent(key: "\(Self.key)-\(index)", at: Self.start.addingTimeInterval(Double(-index)))
            }
            let claimed = try await database.abandonUploadIntents(startedBefore: Self.start.addingTimeInterval(1), at: Self.start, limit: 2)
            #expect(claimed == ["\(Self.key)-4", "\(Self.key)-3"])
        }
    }
}
