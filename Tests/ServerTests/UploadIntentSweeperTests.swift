import Crypto
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage
import Persistence
import Testing

@testable import Server

/// ``UploadIntentSweeper`` over a real database and the real local store.
@Suite struct UploadIntentSweeperTests {
    static let logger = Logger(label: "UploadIntentSweeperTests", factory: { _ in SwiftLogNoOpLogHandler() })
    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    struct Fixture {
        let directory: URL
        let database: SQLiteDatabase
        let store: LocalObjectStore

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("sweeper-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            database = try ServerTestDatabase.open(in: directory)
            store = LocalObjectStore(dataDirectory: directory, masterKey: SymmetricKey(data: [UInt8](repeating: 7, count: 32)))
        }

        /// An object at `key` whose upload recorded its intent at `startedAt` and then died.
        func abandon(_ key: String, startedAt: Date) async throws {
            try await database.recordUploadIntent(key: key, at: startedAt)
            let writer = try await store.makeWriter(key: key, contentType: "application/pdf", logger: UploadIntentSweeperTests.logger)
            try await writer.write(ByteBuffer(string: "%PDF-1.4\n%%EOF\n"))
            _ = try await writer.finish()
        }

        func exists(_ key: String) async -> Bool {
            (try? await store.head(key: key, logger: UploadIntentSweeperTests.logger)) != nil
        }

        func sweeper(grace: TimeInterval, at date: Date) -> UploadIntentSweeper {
            UploadIntentSweeper(database: database, store: store, grace: grace, now: { date }, logger: UploadIntentSweeperTests.logger)
        }
    }

    @Test("objects of intents older than the grace are removed with their intents; younger ones are left alone")
    func sweepsOnlyPastTheGrace() async throws {
        let fixture = try Fixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let old = "patients/P1/lab-results/0b7a-old.pdf"
        let young = "patients/P1/lab-results/0b7a-young.pdf"
        try await fixture.abandon(old, startedAt: Self.start)
        try await fixture.abandon(young, startedAt: Self.start.addingTimeInterval(50))

        #expect(await fixture.sweeper(grace: 60, at: Self.start.addingTimeInterval(59)).sweep() == 0)
        #expect(await fixture.exists(old))

        #expect(await fixture.sweeper(grace: 60, at: Self.start.addingTimeInterval(70)).sweep() == 1)
        #expect(!(await fixture.exists(old)))
        #expect(await fixture.exists(young), "another node may still be receiving it")
        let left = try await fixture.database.abandonUploadIntents(startedBefore: Self.start.addingTimeInterval(51), at: Self.start, limit: 10)
        #expect(left == [young], "the old intent is gone with its object")
    }

    @Test("a committed document's object is never swept, whatever intent is left for its key")
    func documentsAreKept() async throws {
        let fixture = try Fixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let key = "patients/P1/lab-results/0b7a-kept.pdf"
        try await fixture.abandon(key, startedAt: Self.start)
        let record = DocumentRecord(
            id: UUID(),
            key: key,
            fileName: "kept.pdf",
            size: 15,
            contentType: "application/pdf",
            category: .labResults,
            entityType: .patient,
            entityID: "P1",
            sha256: String(repeating: "ab", count: 32),
            etag: "\"etag\"",
            uploadedAt: Self.start,
            uploadedBy: "tester"
        )
        try await fixture.database.insertDocuments([record], audit: [])

        #expect(await fixture.sweeper(grace: 1, at: Self.start.addingTimeInterval(3600)).sweep() == 0)
        #expect(await fixture.exists(key))
    }

    @Test("sweeps repeat every grace, at most every minute")
    func interval() throws {
        let fixture = try Fixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        #expect(fixture.sweeper(grace: 1, at: Self.start).interval == 1)
        #expect(fixture.sweeper(grace: 3600, at: Self.start).interval == 60)
    }
}
