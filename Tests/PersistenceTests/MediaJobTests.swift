import Audit
import Documents
import Foundation
import Testing

@testable import Persistence

@Suite("Media jobs: enqueued once, claimed by one worker at a time, retried, then failed")
struct MediaJobTests {
    static let start = Date(millisecondsSince1970: Fixtures.baseMilliseconds)

    /// A stored video the jobs can refer to.
    static func video(in database: any AppDatabase) async throws -> UUID {
        let record = Fixtures.document(key: "patients/p1/therapy-media/\(UUID().lowercaseText)-a.mp4", contentType: "video/mp4")
        try await database.insertDocuments([record], audit: [])
        return record.id
    }

    static func claim(_ database: any AppDatabase, _ owner: String, after seconds: TimeInterval = 0) async throws -> MediaJob? {
        try await database.claimMediaJob(owner: owner, at: start.addingTimeInterval(seconds), lease: 60, maxAttempts: 2)
    }

    @Test("a job is enqueued once per kind, claimed once, and done after its owner completes it", arguments: TestEngine.all)
    func lifecycle(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let id = try await Self.video(in: database)
            try await database.enqueueMediaJobs(documentID: id, kinds: [.poster], at: Self.start)
            try await database.enqueueMediaJobs(documentID: id, kinds: [.poster, .transcode], at: Self.start.addingTimeInterval(1))
            #expect(try await database.mediaJobs(documentID: id).map(\.state) == [.pending, .pending])
            let first = try #require(try await Self.claim(database, "node-a", after: 2))
            #expect(first == MediaJob(documentID: id, kind: .poster, state: .running, attempts: 1, owner: "node-a"))
            let second = try #require(try await Self.claim(database, "node-b", after: 2))
            #expect(second.kind == .transcode)
            #expect(try await Self.claim(database, "node-c", after: 2) == nil)
            try await database.completeMediaJob(first, at: Self.start.addingTimeInterval(3))
            // A worker whose lease was taken over changes nothing.
            var stale = second
            stale.owner = "node-z"
            try await database.completeMediaJob(stale, at: Self.start.addingTimeInterval(3))
            #expect(try await database.mediaJobs(documentID: id).map(\.state) == [.done, .running])
        }
    }

    @Test("a failed attempt waits for its retry instant, and the last one fails the job", arguments: TestEngine.all)
    func retries(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let id = try await Self.video(in: database)
            try await database.enqueueMediaJobs(documentID: id, kinds: [.poster], at: Self.start)
            let first = try #require(try await Self.claim(database, "node-a"))
            let retryAt = Self.start.addingTimeInterval(30)
            #expect(try await database.failMediaJob(first, retryAt: retryAt, at: Self.start, maxAttempts: 2) == .pending)
            #expect(try await Self.claim(database, "node-a", after: 10) == nil)
            let second = try #require(try await Self.claim(database, "node-b", after: 30))
            #expect(second.attempts == 2)
            #expect(try await database.failMediaJob(second, retryAt: retryAt, at: Self.start, maxAttempts: 2) == .failed)
            #expect(try await Self.claim(database, "node-a", after: 3600) == nil)
            #expect(try await database.mediaJobs(documentID: id).map(\.state) == [.failed])
        }
    }

    @Test("a job whose worker died is claimed again when its lease expires, and failed after its last attempt", arguments: TestEngine.all)
    func expiredLease(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let id = try await Self.video(in: database)
            try await database.enqueueMediaJobs(documentID: id, kinds: [.transcode], at: Self.start)
            _ = try #require(try await Self.claim(database, "node-a"))
            #expect(try await Self.claim(database, "node-b", after: 59) == nil)
            let taken = try #require(try await Self.claim(database, "node-b", after: 60))
            #expect(taken.owner == "node-b" && taken.attempts == 2)
            #expect(try await Self.claim(database, "node-c", after: 120) == nil)
            #expect(try await database.mediaJobs(documentID: id).map(\.state) == [.failed])
        }
    }

    @Test("jobs go with their document, and a job for no document is refused", arguments: TestEngine.all)
    func followsDocument(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            await #expect(throws: PersistenceError.self) {
                try await database.enqueueMediaJobs(documentID: UUID(), kinds: [.poster], at: Self.start)
            }
            let id = try await Self.video(in: database)
            try await database.enqueueMediaJobs(documentID: id, kinds: [.poster], at: Self.start)
            _ = try await database.deleteDocument(id: id, audit: Fixtures.audit(.documentDelete))
            #expect(try await database.mediaJobs(documentID: id).isEmpty)
        }
    }
}
