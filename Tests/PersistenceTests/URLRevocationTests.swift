import Audit
import Foundation
import Testing

@testable import Persistence

@Suite("URL revocation: the not-before instant, the fresh key, the audit row, in one transaction")
struct URLRevocationTests {
    static let revokedAt = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 5_000)

    @Test("a document never revoked has no not-before instant", arguments: TestEngine.all)
    func neverRevoked(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/medical-records/a.pdf")
            try await database.insertDocuments([record], audit: [])
            #expect(try await database.urlsNotBefore(documentID: record.id) == nil)
            #expect(try await database.urlsNotBefore(documentID: UUID()) == nil)
        }
    }

    @Test("revoking keeps the key on the local store, records the instant and the audit row", arguments: TestEngine.all)
    func revokeInPlace(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/medical-records/a.pdf")
            try await database.insertDocuments([record], audit: [])
            let revoked = try await database.revokeURLs(
                documentID: record.id,
                notBefore: Self.revokedAt,
                newKey: nil,
                audit: Fixtures.audit(.documentRevoke, documentKey: record.key)
            )
            #expect(revoked == RevokedURLs(document: record, notBefore: Self.revokedAt))
            #expect(try await database.urlsNotBefore(documentID: record.id) == Self.revokedAt)
            // A later revocation moves the instant on.
            let later = Self.revokedAt.addingTimeInterval(60)
            _ = try await database.revokeURLs(
                documentID: record.id,
                notBefore: later,
                newKey: nil,
                audit: Fixtures.audit(.documentRevoke, request: 2)
            )
            #expect(try await database.urlsNotBefore(documentID: record.id) == later)
            let actions = try await database.auditEvents(after: nil, limit: 10).map(\.entry.action)
            #expect(actions == [.documentRevoke, .documentRevoke])
        }
    }

    @Test("a second revocation within the same second moves the instant one second on", arguments: TestEngine.all)
    func revokeTwiceInOneSecond(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/medical-records/a.pdf")
            try await database.insertDocuments([record], audit: [])
            let first = try await database.revokeURLs(
                documentID: record.id,
                notBefore: Self.revokedAt,
                newKey: nil,
                audit: Fixtures.audit(.documentRevoke)
            )
            // URLs issued after the first revocation are signed at its instant; the second must refuse them too.
            let second = try await database.revokeURLs(
                documentID: record.id,
                notBefore: Self.revokedAt,
                newKey: nil,
                audit: Fixtures.audit(.documentRevoke)
            )
            #expect(first.notBefore == Self.revokedAt)
            #expect(second.notBefore == Self.revokedAt.addingTimeInterval(1))
            #expect(try await database.urlsNotBefore(documentID: record.id) == second.notBefore)
        }
    }

    @Test("on S3 the row follows the object to its fresh key; the id stays", arguments: TestEngine.all)
    func revokeToFreshKey(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/medical-records/old-a.pdf")
            try await database.insertDocuments([record], audit: [])
            let fresh = "patients/p1/medical-records/new-a.pdf"
            let revoked = try await database.revokeURLs(
                documentID: record.id,
                notBefore: Self.revokedAt,
                newKey: fresh,
                audit: Fixtures.audit(.documentRevoke)
            )
            #expect(revoked.document.id == record.id)
            #expect(revoked.document.key == fresh)
            #expect(try await database.document(id: record.id)?.key == fresh)
            #expect(try await database.document(key: record.key) == nil)
        }
    }

    @Test("nothing is written when a step fails", arguments: TestEngine.all)
    func allOrNothing(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/medical-records/a.pdf")
            let other = Fixtures.document(key: "patients/p1/medical-records/b.pdf")
            try await database.insertDocuments([record, other], audit: [])
            await #expect(throws: PersistenceError.notFound) {
                try await database.revokeURLs(documentID: UUID(), notBefore: Self.revokedAt, newKey: nil, audit: Fixtures.audit(.documentRevoke))
            }
            await #expect(throws: PersistenceError.keyConflict) {
                try await database.revokeURLs(
                    documentID: record.id,
                    notBefore: Self.revokedAt,
                    newKey: other.key,
                    audit: Fixtures.audit(.documentRevoke)
                )
            }
            // Not a whole second: X-Amz-Date could never be compared with it exactly.
            await #expect(throws: PersistenceError.constraintViolation) {
                try await database.revokeURLs(
                    documentID: record.id,
                    notBefore: Self.revokedAt.addingTimeInterval(0.5),
                    newKey: nil,
                    audit: Fixtures.audit(.documentRevoke)
                )
            }
            #expect(try await database.urlsNotBefore(documentID: record.id) == nil)
            #expect(try await database.document(id: record.id)?.key == record.key)
            #expect(try await database.auditEvents(after: nil, limit: 10).isEmpty)
        }
    }

    @Test("the revocation goes with its document", arguments: TestEngine.all)
    func deletedWithTheDocument(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let record = Fixtures.document(key: "patients/p1/medical-records/a.pdf")
            try await database.insertDocuments([record], audit: [])
            _ = try await database.revokeURLs(documentID: record.id, notBefore: Self.revokedAt, newKey: nil, audit: Fixtures.audit(.documentRevoke))
            try await database.deleteDocument(id: record.id, audit: Fixtures.audit(.documentDelete, request: 2))
            #expect(try await database.urlsNotBefore(documentID: record.id) == nil)
        }
    }
}
