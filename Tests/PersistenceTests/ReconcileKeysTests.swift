import Documents
import Foundation
import Testing

@testable import Persistence

@Suite("Reconcile keys: document rows and pending intents, paged in UTF-8 byte order")
struct ReconcileKeysTests {
    /// Keys a locale collation would order differently: `B` < `Z` < `_` < `a` < `é` byte-wise.
    static let documentKeys = [
        "patients/p1/medical-records/B.pdf", "patients/p1/medical-records/_x.pdf", "patients/p1/medical-records/é.pdf",
        "patients/p1/medical-records/a.pdf",
    ]
    static let intentKey = "patients/p1/medical-records/Z.pdf"

    @Test("every key comes once, byte-ordered across pages, documents with their size and intents as pending", arguments: TestEngine.all)
    func pagesInByteOrder(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let records = Self.documentKeys.enumerated().map { Fixtures.document(key: $1, size: Int64(100 + $0)) }
            try await database.insertDocuments(records, audit: [Fixtures.audit()])
            try await database.recordUploadIntent(key: Self.intentKey, at: Date())
            var entries: [IndexedEntry] = []
            var after: String?
            while true {
                let page = try await database.reconcileKeys(after: after, limit: 2)
                entries += page
                guard page.count == 2, let last = page.last?.key else { break }
                after = last
            }
            let expected = (Self.documentKeys + [Self.intentKey]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            #expect(entries.map(\.key) == expected)
            for record in records {
                #expect(entries.contains(IndexedEntry(key: record.key, kind: .document(id: record.id.lowercaseText, size: record.size))))
            }
            #expect(entries.contains(IndexedEntry(key: Self.intentKey, kind: .uploadInProgress)))
        }
    }

    @Test("an intent whose row exists shows once, as the document", arguments: TestEngine.all)
    func intentWithRowIsTheDocument(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: Self.intentKey)
            try await database.recordUploadIntent(key: record.key, at: Date())
            try await database.insertDocuments([record], audit: [Fixtures.audit()])
            let entries = try await database.reconcileKeys(after: nil, limit: 10)
            #expect(entries == [IndexedEntry(key: record.key, kind: .document(id: record.id.lowercaseText, size: record.size))])
        }
    }
}
