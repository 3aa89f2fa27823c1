import Audit
import Foundation
import Testing

@testable import Persistence

@Suite("Document imports: the import row beside its document and audit row, found again by source")
struct DocumentImportsTests {
    static let importedAt = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 9_000)

    @Test("an import settles its intent and records the document, the import and the audit row together", arguments: TestEngine.all)
    func importRecorded(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/medical-records/a.pdf")
            #expect(try await database.documentImports(source: "/old/a.pdf").isEmpty)
            try await database.recordUploadIntent(key: record.key, at: Self.importedAt)
            try await database.insertImportedDocument(record, source: "/old/a.pdf", at: Self.importedAt, audit: Fixtures.audit(.documentImport))
            let imports = try await database.documentImports(source: "/old/a.pdf")
            #expect(
                imports == [
                    DocumentImport(source: "/old/a.pdf", sha256: record.sha256, documentID: record.id, key: record.key, importedAt: Self.importedAt)
                ]
            )
            #expect(try await database.document(id: record.id) == record)
            #expect(try await database.auditEvents(after: nil, limit: 10).map(\.entry.action) == [.documentImport])
            #expect(try await database.documentImports(source: "/old/b.pdf").isEmpty)
        }
    }

    @Test("without its upload intent nothing of the import is written", arguments: TestEngine.all)
    func missingIntent(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database async throws in
            let record = Fixtures.document(key: "patients/p1/medical-records/a.pdf")
            await #expect(throws: PersistenceError.uploadAbandoned) {
                try await database.insertImportedDocument(record, source: "/old/a.pdf", at: Self.importedAt, audit: Fixtures.audit(.documentImport))
            }
            #expect(try await database.document(id: record.id) == nil)
            #expect(try await database.documentImports(source: "/old/a.pdf").isEmpty)
            #expect(try await database.auditEvents(after: nil, limit: 10).isEmpty)
        }
    }

    @Test(
        "the same bytes from the same source cannot be recorded twice; a document deleted for good takes its import along",
        arguments: TestEngine.all
    )
    func uniqueAndCascading(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let first = Fixtures.document(key: "patients/p1/medical-records/a.pdf")
            let second = Fixtures.document(key: "patients/p1/medical-records/b.pdf")
            for record in [first, second] { try await database.recordUploadIntent(key: record.key, at: Self.importedAt) }
            try await database.insertImportedDocument(first, source: "/old/a.pdf", at: Self.importedAt, audit: Fixtures.audit(.documentImport))
            await #expect(throws: PersistenceError.keyConflict) {
                try await database.insertImportedDocument(second, source: "/old/a.pdf", at: Self.importedAt, audit: Fixtures.audit(.documentImport))
            }
            #expect(try await database.document(id: second.id) == nil)
            try await database.deleteDocument(id: first.id, audit: Fixtures.audit(.documentDelete))
            #expect(try await database.documentImports(source: "/old/a.pdf").isEmpty)
        }
    }
}
