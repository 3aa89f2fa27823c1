import Documents
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Documents: statistics")
struct DocumentStatsTests {
    @Test("an empty database has zero totals for every category", arguments: TestEngine.all)
    func empty(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let stats = try await database.stats()
            #expect(stats.totalCount == 0)
            #expect(stats.totalBytes == 0)
            #expect(stats.archivedCount == 0)
            #expect(stats.archivedBytes == 0)
            #expect(stats.byCategory.count == FileCategory.allCases.count)
            #expect(stats.byCategory.values.allSatisfy { $0 == .zero })
            #expect(stats.byContentType.isEmpty)
            #expect(stats.recent.isEmpty)
        }
    }

    @Test("totals per category and type count active documents; archived and deleted ones move out", arguments: TestEngine.all)
    func numbers(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let a = Fixtures.document(key: "a", size: 100, contentType: "application/pdf", category: .labResults, uploadedAt: 1)
            let b = Fixtures.document(key: "b", size: 250, contentType: "application/pdf", category: .labResults, uploadedAt: 2)
            let c = Fixtures.document(key: "c", size: 4000, contentType: "image/png", category: .imaging, uploadedAt: 3)
            let d = Fixtures.document(key: "d", size: 7, contentType: "text/plain", category: .other, uploadedAt: 4)
            let e = Fixtures.document(key: "e", size: 50, contentType: "image/png", category: .imaging, uploadedAt: 5)
            try await database.insertDocuments([a, b, c, d, e], audit: [])
            _ = try await database.archiveDocument(id: d.id, archivedKey: "archived/d", at: Date(), audit: Fixtures.audit())
            try await database.deleteDocument(id: e.id, audit: Fixtures.audit())

            let stats = try await database.stats(recentLimit: 2)
            #expect(stats.totalCount == 3)
            #expect(stats.totalBytes == 4350)
            #expect(stats.byCategory[.labResults] == .init(count: 2, bytes: 350))
            #expect(stats.byCategory[.imaging] == .init(count: 1, bytes: 4000))
            #expect(stats.byCategory[.other] == .zero)
            #expect(stats.byContentType == ["application/pdf": .init(count: 2, bytes: 350), "image/png": .init(count: 1, bytes: 4000)])
            #expect(stats.archivedCount == 1)
            #expect(stats.archivedBytes == 7)
            #expect(stats.recent.map(\.key) == ["c", "b"])
        }
    }

    @Test("the running totals always equal a full GROUP BY over documents")
    func totalsStayConsistent() async throws {
        try await TestDatabase.with { database in
            var records: [DocumentRecord] = []
            for index in 0..<60 {
                let category = FileCategory.allCases[index % FileCategory.allCases.count]
                let type = ["application/pdf", "image/png", "text/csv"][index % 3]
                records.append(
                    Fixtures.document(key: "k/\(index)", size: Int64(index + 1), contentType: type, category: category, uploadedAt: Int64(index))
                )
            }
            try await database.insertDocuments(records, audit: [])
            for record in records[0..<20] {
                _ = try await database.archiveDocument(id: record.id, archivedKey: "archived/\(record.key)", at: Date(), audit: Fixtures.audit())
            }
            for record in records[10..<30] {
                try await database.deleteDocument(id: record.id, audit: Fixtures.audit())
            }
            try await database.databasePool.write { db in
                try db.execute(sql: "UPDATE documents SET category = 'other', size = size + 1 WHERE key = 'k/40'")
            }
            let (totals, recomputed) = try await database.databasePool.read { db in
                let columns = "status || '|' || category || '|' || content_type || '|' || count || '|' || bytes"
                let totals = try String.fetchAll(db, sql: "SELECT \(columns) FROM document_totals ORDER BY 1")
                let recomputed = try String.fetchAll(
                    db,
                    sql: """
                        SELECT \(columns) FROM (SELECT status, category, content_type, count(*) AS count, sum(size) AS bytes
                        FROM documents GROUP BY 1, 2, 3) ORDER BY 1
                        """
                )
                return (totals, recomputed)
            }
            #expect(totals.count > 3)
            #expect(totals == recomputed)
            let stats = try await database.stats()
            #expect(stats.totalCount == 30)
            #expect(stats.archivedCount == 10)
        }
    }
}
