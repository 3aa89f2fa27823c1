import Documents
import Foundation
import Testing

@testable import Persistence

@Suite("Documents: listing, paging, search")
struct DocumentListingTests {
    /// Pages through `query` to the end and returns every key seen, in order.
    private func allKeys(_ database: any AppDatabase, _ query: DocumentQuery) async throws -> [String] {
        var query = query
        var keys: [String] = []
        var pages = 0
        repeat {
            let page = try await database.listDocuments(query)
            #expect(page.documents.count <= query.limit)
            keys += page.documents.map(\.key)
            query.afterKey = page.nextAfterKey
            pages += 1
        } while query.afterKey != nil && pages < 100
        return keys
    }

    @Test("keyset pages cover every row once, in key order, and the last page has no next key", arguments: TestEngine.all)
    func paging(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let records = (0..<25).map { Fixtures.document(key: String(format: "patients/p1/other/%03d.txt", $0)) }
            try await database.insertDocuments(records.shuffled(), audit: [])
            let first = try await database.listDocuments(DocumentQuery(limit: 10))
            #expect(first.documents.map(\.key) == records.prefix(10).map(\.key))
            #expect(first.nextAfterKey == records[9].key)
            #expect(try await allKeys(database, DocumentQuery(limit: 10)) == records.map(\.key))
            let exact = try await database.listDocuments(DocumentQuery(limit: 25))
            #expect(exact.documents.count == 25)
            #expect(exact.nextAfterKey == nil)
        }
    }

    @Test("rows inserted between pages cause neither duplicates nor gaps", arguments: TestEngine.all)
    func insertsBetweenPages(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let original = stride(from: 0, to: 40, by: 2).map { Fixtures.document(key: String(format: "k/%03d", $0)) }
            try await database.insertDocuments(original, audit: [])
            var query = DocumentQuery(limit: 7)
            var seen: [String] = []
            var inserted = 0
            repeat {
                let page = try await database.listDocuments(query)
                seen += page.documents.map(\.key)
                query.afterKey = page.nextAfterKey
                // One new row before the cursor (never seen) and one after it (seen once, in order).
                if let cursor = page.nextAfterKey, let number = Int(cursor.dropFirst(2).prefix(3)) {
                    let before = String(format: "k/%03d-", number - 1) + UUID().uuidString
                    let after = cursor + "+" + UUID().uuidString
                    #expect(before < cursor && after > cursor)
                    try await database.insertDocuments([Fixtures.document(key: before), Fixtures.document(key: after)], audit: [])
                    inserted += 2
                }
            } while query.afterKey != nil
            #expect(inserted > 0)
            #expect(Set(seen).count == seen.count, "duplicates across pages")
            #expect(seen == seen.sorted())
            #expect(Set(original.map(\.key)).isSubset(of: Set(seen)), "an existing row was skipped")
            let all = try await allKeys(database, DocumentQuery(limit: 1000))
            let insertedAfterCursor = all.filter { !original.map(\.key).contains($0) && seen.contains($0) }
            #expect(insertedAfterCursor.count == inserted / 2, "rows inserted after the cursor appear exactly once")
        }
    }

    @Test("a prefix is a key range: it includes every key that starts with it and nothing else", arguments: TestEngine.all)
    func prefix(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let keys = [
                "patients/p1/a", "patients/p1/b", "patients/p10/a", "patients/p1\u{10FFFF}/x", "patients/p2/a", "patients/p0/a",
                "providers/p1/a", "patients/p1",
            ]
            try await database.insertDocuments(keys.map { Fixtures.document(key: $0) }, audit: [])
            #expect(
                try await allKeys(database, DocumentQuery(prefix: "patients/p1/", limit: 1)) == ["patients/p1/a", "patients/p1/b"]
            )
            #expect(
                try await allKeys(database, DocumentQuery(prefix: "patients/p1", limit: 2))
                    == ["patients/p1", "patients/p1/a", "patients/p1/b", "patients/p10/a", "patients/p1\u{10FFFF}/x"]
            )
            #expect(try await allKeys(database, DocumentQuery(prefix: "prov", limit: 5)) == ["providers/p1/a"])
            #expect(try await allKeys(database, DocumentQuery(prefix: "zzz", limit: 5)) == [])
            #expect(try await allKeys(database, DocumentQuery(prefix: "", limit: 3)).count == keys.count)
        }
    }

    @Test("the prefix upper bound handles the last scalar's edge cases")
    func prefixUpperBound() {
        #expect(DocumentQuery.prefixUpperBound("abc") == "abd")
        #expect(DocumentQuery.prefixUpperBound("a/") == "a0")
        #expect(DocumentQuery.prefixUpperBound("é") == "ê")
        #expect(DocumentQuery.prefixUpperBound("a\u{D7FF}") == "a\u{E000}")
        #expect(DocumentQuery.prefixUpperBound("a\u{10FFFF}") == "b")
        #expect(DocumentQuery.prefixUpperBound("\u{10FFFF}\u{10FFFF}") == nil)
        #expect(DocumentQuery.prefixUpperBound("") == nil)
    }

    @Test("category and archived filters", arguments: TestEngine.all)
    func filters(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let lab = Fixtures.document(key: "patients/p1/lab-results/1.pdf", category: .labResults)
            let imaging = Fixtures.document(key: "patients/p1/imaging/1.png", contentType: "image/png", category: .imaging)
            let lab2 = Fixtures.document(key: "patients/p2/lab-results/2.pdf", category: .labResults)
            try await database.insertDocuments([lab, imaging, lab2], audit: [])
            _ = try await database.archiveDocument(
                id: lab2.id,
                archivedKey: "archived/patients/p2/lab-results/2.pdf",
                at: Date(),
                audit: Fixtures.audit()
            )
            #expect(try await allKeys(database, DocumentQuery(category: .labResults, limit: 10)) == [lab.key])
            #expect(try await allKeys(database, DocumentQuery(category: .imaging, limit: 10)) == [imaging.key])
            #expect(try await allKeys(database, DocumentQuery(category: .invoices, limit: 10)) == [])
            #expect(try await allKeys(database, DocumentQuery(archived: true, limit: 10)) == ["archived/patients/p2/lab-results/2.pdf"])
            #expect(try await allKeys(database, DocumentQuery(category: .labResults, archived: true, limit: 10)).count == 1)
            #expect(try await allKeys(database, DocumentQuery(limit: 10)) == [imaging.key, lab.key])
        }
    }

    @Test("search is a case-insensitive Unicode substring match where % and _ are literal", arguments: TestEngine.all)
    func search(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let names = [
                "Lab REPORT 2024.pdf", "Échographie Abdominale.pdf", "e\u{0301}cho-notes.txt", "100%_done.txt", "100x done.txt",
                "a_b.csv", "axb.csv", "back\\slash.txt", "İstanbul.pdf",
            ]
            let records = names.enumerated().map { Fixtures.document(key: "patients/p1/other/\($0.offset)", fileName: $0.element) }
            try await database.insertDocuments(records, audit: [])
            func search(_ term: String) async throws -> [String] {
                try await database.listDocuments(DocumentQuery(search: term, limit: 50)).documents.map(\.fileName)
            }
            #expect(try await search("report") == ["Lab REPORT 2024.pdf"])
            #expect(try await search("lAb rEpOrT") == ["Lab REPORT 2024.pdf"])
            #expect(try await search("ÉCHO") == ["Échographie Abdominale.pdf", "e\u{0301}cho-notes.txt"])
            #expect(try await search("e\u{0301}cho") == ["Échographie Abdominale.pdf", "e\u{0301}cho-notes.txt"])
            #expect(try await search("%") == ["100%_done.txt"])
            #expect(try await search("0%_d") == ["100%_done.txt"])
            #expect(try await search("a_b") == ["a_b.csv"])
            #expect(try await search("_") == ["100%_done.txt", "a_b.csv"])
            #expect(try await search("\\") == ["back\\slash.txt"])
            #expect(try await search("İSTANBUL") == ["İstanbul.pdf"])
            #expect(try await search("nothing like this") == [])
            #expect(try await search("").count == names.count)
        }
    }

    @Test("limits are clamped", arguments: TestEngine.all)
    func limits(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            try await database.insertDocuments((0..<3).map { Fixtures.document(key: "k/\($0)") }, audit: [])
            let page = try await database.listDocuments(DocumentQuery(limit: 0))
            #expect(page.documents.count == 1)
            #expect(page.nextAfterKey == "k/0")
        }
    }
}
