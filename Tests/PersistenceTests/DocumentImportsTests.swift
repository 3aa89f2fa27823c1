import Audit
import Foundation
import Testing

@testable import Persistence

@Suite("Document imports: the import row beside its document and audit row, found again by source")
struct DocumentImportsTests {
    static let importedAt = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 9_000)
    /// The digest of a source file whose stored bytes differ (an image stripped of its metadata).
    static let sourceSHA256 = String(repeating: "5", count: 64)

    /// Records `record` as imported from `/old/a.pdf`, whose file there had the digest `sourceSHA256`.
    static func insert(_ record: DocumentRecord, sourceSHA256: String? = nil, into database: any AppDatabase) async throws {
        try await database.insertImportedDocument(
            record,
            source: "/old/a.pdf",
            sourceSHA256: sourceSHA256 ?? record.sha256,
            at: importedAt,
            audit: Fixtures.audit(.documentImport)
        )
    }

    @Test(
        "an import settles its intent and records the document, the import (with the source file's digest) and the audit row together",
        arguments: TestEngine.all
    )
    func importRecorded(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/medical-records/a.pdf")
            #expect(try await database.documentImports(source: "/old/a.pdf").isEmpty)
            try await database.recordUploadIntent(key: record.key, at: Self.importedAt)
            try await Self.insert(record, sourceSHA256: Self.sourceSHA256, into: database)
            let imports = try await database.documentImports(source: "/old/a.pdf")
            #expect(
                imports == [
                    DocumentImport(
                        source: "/old/a.pdf",
                        sha256: Self.sourceSHA256,
                        documentID: record.id,
                        key: record.key,
                        importedAt: Self.importedAt
                    )
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
                try await Self.insert(record, into: database)
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
            try await Self.insert(first, into: database)
            await #expect(throws: PersistenceError.keyConflict) {
                try await Self.insert(second, into: database)
            }
            #expect(try await database.document(id: second.id) == nil)
            try await database.deleteDocument(id: first.id, audit: Fixtures.audit(.documentDelete))
            #expect(try await database.documentImports(source: "/old/a.pdf").isEmpty)
        }
    }
}
