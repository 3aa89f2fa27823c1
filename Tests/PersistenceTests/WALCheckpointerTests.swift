import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("WAL checkpoints off the request path")
struct WALCheckpointerTests {
    private func fileSize(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    @Test("committed pages reach the database file in the background, long before the writer would checkpoint")
    func backgroundCheckpoint() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let database = try test.open()
        let autocheckpoint = try await database.databasePool.write { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        #expect(autocheckpoint == WALCheckpointer.writerAutocheckpointPages)
        // Wait for the schema to be checkpointed, so that the file only grows from the rows below.
        try await Task.sleep(for: .seconds(1))
        let before = try fileSize(test.path)
        let records = (0..<3000).map { n in
            Fixtures.document(key: String(format: "patients/p%d/other/%05d-some-longer-file-name.pdf", n % 40, n), fileName: "scan \(n).pdf")
        }
        try await database.insertDocuments(records, audit: [])
        let pageSize = try await database.databasePool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } ?? 4096
        // Far fewer pages than the writer's threshold were written, so only the checkpointer can move them.
        let walPages = try fileSize(test.path + "-wal") / pageSize
        #expect(walPages > 100 && walPages < WALCheckpointer.writerAutocheckpointPages)
        var after = try fileSize(test.path)
        for _ in 0..<50 where after < before + 100 * pageSize {
            try await Task.sleep(for: .milliseconds(100))
            after = try fileSize(test.path)
        }
        #expect(after >= before + 100 * pageSize, "the database file did not grow: \(before) → \(after)")
        #expect(try await database.listDocuments(DocumentQuery(limit: 1000)).documents.count == 1000)
    }
}
