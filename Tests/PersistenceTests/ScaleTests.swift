import Documents
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Documents: query plans and scale")
struct ScaleTests {
    @Test("listing and recent uploads are served by an index, never a table scan or a sort")
    func queryPlans() async throws {
        try await TestDatabase.with { database in
            try await database.fillWithSyntheticDocuments(count: 2000)
            let queries = [
                DocumentQuery(limit: 100),
                DocumentQuery(prefix: "patients/p123/", limit: 100, afterKey: "patients/p123/1/"),
                DocumentQuery(category: .labResults, limit: 100, afterKey: "patients/p200/"),
                DocumentQuery(prefix: "patients/p1", category: .imaging, search: "report 1", limit: 100),
                DocumentQuery(search: "50%", archived: true, limit: 10),
            ]
            let statements: [(sql: String, arguments: StatementArguments)] =
                queries.map { SQLiteDatabase.listStatement(for: $0) } + [(SQLiteDatabase.recentSQL, StatementArguments([10]))]
            let plans = try await database.databasePool.read { db in
                try statements.map { statement in
                    let rows = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: statement.arguments)
                    return (statement.sql, rows.map { row -> String in row["detail"] }.joined(separator: " / "))
                }
            }
            for (sql, plan) in plans {
                #expect(plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"), "\(sql): \(plan)")
                #expect(!plan.contains("SCAN documents"), "\(sql): \(plan)")
                #expect(!plan.contains("TEMP B-TREE"), "\(sql): \(plan)")
            }
            let stats = try await database.stats()
            #expect(stats.totalCount == 2000)
            #expect(stats.byCategory.values.map(\.count).reduce(0, +) == 2000)
        }
    }

    @Test("a patient's listing walks the per-entity index; wider visibilities walk the key index, never a scan or a sort")
    func visibilityPlans() async throws {
        try await TestDatabase.with { database in
            try await database.fillWithSyntheticDocuments(count: 2000)
            let patient = DocumentVisibility(patientIDs: ["p123"])
            let wider = DocumentVisibility(patientIDs: ["p001", "p002"], providerIDs: ["dr1"], uploadedBy: "u1")
            let queries: [(DocumentQuery, index: String)] = [
                (DocumentQuery(limit: 100, visibility: patient), "documents_status_entity"),
                (DocumentQuery(prefix: "patients/p123/", limit: 100, afterKey: "patients/p123/1/", visibility: patient), "documents_status_entity"),
                (DocumentQuery(limit: 100, visibility: wider), "documents_status_key"),
                (DocumentQuery(category: .labResults, limit: 100, afterKey: "patients/p200/", visibility: wider), "documents_status_category_key"),
            ]
            let plans = try await database.databasePool.read { db in
                try queries.map { query, index in
                    let statement = SQLiteDatabase.listStatement(for: query)
                    let rows = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: statement.arguments)
                    return (statement.sql, index, rows.map { row -> String in row["detail"] }.joined(separator: " / "))
                }
            }
            for (sql, index, plan) in plans {
                #expect(plan.contains("USING INDEX \(index) "), "\(sql): \(plan)")
                #expect(!plan.contains("TEMP B-TREE"), "\(sql): \(plan)")
            }
        }
    }

    @Test(
        "100,000 documents: stats and list timings (printed, not asserted; set MEDVAULT_SCALE_TEST=1)",
        .enabled(if: ProcessInfo.processInfo.environment["MEDVAULT_SCALE_TEST"] == "1")
    )
    func hundredThousandRows() async throws {
        try await TestDatabase.with { database in
            let clock = ContinuousClock()
            let insert = try await clock.measure { try await database.fillWithSyntheticDocuments(count: 100_000) }
            var timings: [(String, Duration)] = []
            func time(_ name: String, _ body: () async throws -> Void) async throws {
                var samples: [Duration] = []
                for _ in 0..<20 {
                    samples.append(try await clock.measure { try await body() })
                }
                timings.append((name, samples.max() ?? .zero))
            }
            try await time("stats") { _ = try await database.stats() }
            try await time("list first page") { _ = try await database.listDocuments(DocumentQuery(limit: 100)) }
            try await time("list deep page") { _ = try await database.listDocuments(DocumentQuery(limit: 100, afterKey: "patients/p400/")) }
            try await time("list prefix+category") {
                _ = try await database.listDocuments(DocumentQuery(prefix: "patients/p123/", category: .labResults, limit: 100))
            }
            try await time("list search, common term") { _ = try await database.listDocuments(DocumentQuery(search: "report", limit: 100)) }
            try await time("list search, rare term") { _ = try await database.listDocuments(DocumentQuery(search: "report 99999", limit: 100)) }
            let stats = try await database.stats()
            #expect(stats.totalCount == 100_000)
            print("100k documents: insert \(insert); worst of 20: " + timings.map { "\($0.0) \($0.1)" }.joined(separator: "; "))
        }
    }
}
