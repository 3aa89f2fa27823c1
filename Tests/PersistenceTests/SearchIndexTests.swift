import Audit
import Documents
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Documents: the trigram search index (migrations/0003)")
struct SearchIndexTests {
    /// Fails unless FTS5 finds `documents_search` consistent with `documents` (rank 1 compares the index with
    /// the content table row by row).
    private func checkIntegrity(_ database: SQLiteDatabase) async throws {
        try await database.databasePool.write { db in
            try db.execute(sql: "INSERT INTO documents_search (documents_search, rank) VALUES ('integrity-check', 1)")
        }
    }

    /// The rows of `statement`, as keys.
    private func keys(_ database: SQLiteDatabase, _ statement: (sql: String, arguments: StatementArguments)) async throws -> [String] {
        try await database.databasePool.read { db in
            try String.fetchAll(db, sql: "SELECT key FROM (\(statement.sql))", arguments: statement.arguments)
        }
    }

    private let names = [
        "Lab REPORT 2024.pdf", "Pheochromocytoma workup.pdf", "chest x-ray PA.dcm", "x-ray knee.jpg", "say \"ahh\".txt",
        "100%_done.txt", "a_b.csv", "Échographie.pdf", "e\u{0301}chographie 2.pdf", "İstanbul clinic.pdf", "ab.txt",
    ]

    @Test("a search answered from the trigram index returns exactly what walking the key index returns")
    func sameResults() async throws {
        try await TestDatabase.with { database in
            let records = (0..<120).map { n in
                Fixtures.document(
                    key: String(format: "patients/p%d/other/%03d-x.pdf", n % 7, n),
                    fileName: names[n % names.count],
                    category: n.isMultiple(of: 3) ? .labResults : .other
                )
            }
            try await database.insertDocuments(records.shuffled(), audit: [])
            let terms = [
                "report", "pheochromocytoma", "x-ray", "RAY", "\"ahh\"", "0%_d", "échographie", "İSTANBUL", "not there", "abc",
                "a\u{0}b", "\"\"\"", "***", "AND", "NEAR(", "   ", "a OR b", "^ab", "{x}: y",
            ]
            var compared = 0
            for term in terms {
                for query in [
                    DocumentQuery(search: term, limit: 1000),
                    DocumentQuery(prefix: "patients/p3/", search: term, limit: 5),
                    DocumentQuery(category: .labResults, search: term, limit: 1000, afterKey: "patients/p2/"),
                ] {
                    let walked = try await keys(database, SQLiteDatabase.listStatement(for: query))
                    if let indexed = SQLiteDatabase.searchIndexStatement(for: query) {
                        #expect(try await keys(database, (indexed.sql, indexed.arguments)) == walked, "\(term)")
                    } else {
                        #expect(term.contains("\u{0}"), "only a NUL keeps a 3-character term out of the index: \(term)")
                    }
                    #expect(try await database.listDocuments(query).documents.map(\.key) == Array(walked.prefix(query.limit)))
                    compared += walked.count
                }
            }
            #expect(compared > 100)
            #expect(SQLiteDatabase.searchIndexStatement(for: DocumentQuery(search: "ab")) == nil, "2 characters: LIKE only")
            let withAB = records.filter { DocumentRecord.searchName(for: $0.fileName).contains("ab") }
            #expect(withAB.count > 10)
            #expect(try await database.listDocuments(DocumentQuery(search: "AB")).documents.count == withAB.count)
        }
    }

    @Test("the index follows inserts, archiving and deletes, and survives VACUUM")
    func keptInStep() async throws {
        try await TestDatabase.with { database in
            let records = (0..<30).map { n in
                Fixtures.document(key: String(format: "patients/p1/other/%03d-x.pdf", n), fileName: "scan \(n) echocardiogram.pdf")
            }
            try await database.insertDocuments(records, audit: [])
            func found() async throws -> [String] {
                try await database.listDocuments(DocumentQuery(search: "echocardiogram", limit: 100)).documents.map(\.key)
            }
            #expect(try await found().count == 30)
            _ = try await database.archiveDocument(
                id: records[0].id,
                archivedKey: "archived/" + records[0].key,
                at: Date(),
                audit: Fixtures.audit(.documentDelete)
            )
            try await database.deleteDocument(id: records[1].id, audit: Fixtures.audit(.documentDelete))
            #expect(try await found() == records.dropFirst(2).map(\.key))
            let archived = try await database.listDocuments(DocumentQuery(prefix: "archived/", search: "ECHO", archived: true))
            #expect(archived.documents.map(\.key) == ["archived/" + records[0].key])
            try await checkIntegrity(database)
            try await database.databasePool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
            try await checkIntegrity(database)
            #expect(try await found() == records.dropFirst(2).map(\.key))
        }
    }

    @Test("a rare term is looked up in the index, a common one walks the key index; neither scans the table")
    func pathChoice() async throws {
        try await TestDatabase.with { database in
            let count = SQLiteDatabase.searchIndexCandidateLimit + 500
            try await database.fillWithSyntheticDocuments(count: count)
            let rare = try #require(SQLiteDatabase.searchIndexStatement(for: DocumentQuery(search: "report 1234.")))
            let common = try #require(SQLiteDatabase.searchIndexStatement(for: DocumentQuery(search: "report")))
            let (rareFavoured, commonFavoured, plan) = try await database.databasePool.read { db in
                let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + rare.sql, arguments: rare.arguments)
                    .map { row -> String in row["detail"] }.joined(separator: " / ")
                return (
                    try SQLiteDatabase.searchIndexFavoured(for: rare.matchExpression, in: db),
                    try SQLiteDatabase.searchIndexFavoured(for: common.matchExpression, in: db),
                    plan
                )
            }
            #expect(rareFavoured)
            #expect(!commonFavoured)
            #expect(plan.contains("INTEGER PRIMARY KEY") && plan.contains("VIRTUAL TABLE"), "\(plan)")
            #expect(!plan.contains("SCAN documents "), "\(plan)")
            #expect(try await database.listDocuments(DocumentQuery(search: "report 1234.")).documents.map(\.fileName) == ["Report 1234.pdf"])
            #expect(try await database.listDocuments(DocumentQuery(search: "report", limit: 10)).documents.count == 10)
        }
    }

    @Test("a term's path is counted once, remembered, and counted again after documents are inserted or deleted")
    func rememberedPathChoice() async throws {
        try await TestDatabase.with { database in
            let term = "zephyrine"
            let match = try #require(SQLiteDatabase.searchIndexStatement(for: DocumentQuery(search: term))).matchExpression
            let first = Fixtures.document(key: "patients/p1/other/first.pdf", fileName: "Zephyrine scan.pdf")
            try await database.insertDocuments([first], audit: [])
            #expect(database.searchPlans.favoured(match) == nil)
            #expect(try await database.listDocuments(DocumentQuery(search: term)).documents.map(\.key) == [first.key])
            #expect(database.searchPlans.favoured(match) == true, "one candidate: the trigram index")

            // Enough new matches that the index is no longer the cheaper way: the insert forgets the answer.
            let many = (0..<SQLiteDatabase.searchIndexCandidateLimit).map { n in
                Fixtures.document(key: String(format: "patients/p2/other/%05d.pdf", n), fileName: "zephyrine \(n).pdf")
            }
            try await database.insertDocuments(many, audit: [])
            #expect(database.searchPlans.favoured(match) == nil)
            let page = try await database.listDocuments(DocumentQuery(search: term, limit: 10))
            #expect(page.documents.map(\.key) == [first.key] + many.prefix(9).map(\.key))
            #expect(database.searchPlans.favoured(match) == false, "more candidates than the limit: walk the key index")

            try await database.deleteDocument(id: first.id, audit: Fixtures.audit())
            #expect(database.searchPlans.favoured(match) == nil)

            // Any insert forgets, whichever code writes it (here raw SQL); a rolled-back one does not.
            _ = try await database.listDocuments(DocumentQuery(search: term))
            #expect(database.searchPlans.favoured(match) == true, "exactly the limit of candidates: the index")
            try? await database.databasePool.write { db in
                try Fixtures.document(key: "patients/p3/other/rolled-back.pdf").insert(db)
                throw DatabaseError(resultCode: .SQLITE_ABORT)
            }
            #expect(database.searchPlans.favoured(match) == true)
            try await database.fillWithSyntheticDocuments(count: 1)
            #expect(database.searchPlans.favoured(match) == nil)
        }
    }

    @Test("an answer counted before documents changed is not kept")
    func staleAnswerDropped() {
        let plans = SearchPlanCache()
        let generation = plans.generation
        plans.documentsChanged()
        plans.remember("\"abc\"", favoured: true, generation: generation)
        #expect(plans.favoured("\"abc\"") == nil)
        plans.remember("\"abc\"", favoured: true, generation: plans.generation)
        #expect(plans.favoured("\"abc\"") == true)
    }
}
