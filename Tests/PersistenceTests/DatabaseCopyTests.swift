import Access
import Audit
import Foundation
import Testing

@testable import Persistence

/// ``DatabaseCopy``: an install's SQLite database copied into an empty PostgreSQL database, row for row, the audit
/// chain verified on arrival.
@Suite("Copying SQLite into PostgreSQL", .enabled(if: PostgresTestServer.url != nil, "MEDVAULT_TEST_DATABASE_URL is not set"))
struct DatabaseCopyTests {
    /// More documents than one page, so the copy pages through them.
    static let documentCount = SQLiteToPostgres.pageSize * 2 + 7
    static let migrationsRoot = TestDatabase.repositoryRoot.appendingPathComponent("migrations", isDirectory: true)

    /// Fills a SQLite database the way an install would: a provider with a care team, a session, documents, an
    /// upload intent, a sign-in bucket, and the audit rows of all of it.
    private func populate(_ source: SQLiteDatabase) async throws {
        let provider = try await source.insertUser(Fixtures.user("dr@x.org", .provider), audit: Fixtures.audit(.userCreate))
        try await source.addCareTeamMember(
            providerUserID: provider.id,
            patientID: "p1",
            at: Date(millisecondsSince1970: Fixtures.baseMilliseconds),
            addedBy: "admin-1",
            audit: Fixtures.audit(.careTeamAdd)
        )
        try await source.createSession(Fixtures.session(1, userID: provider.id), audit: Fixtures.audit(.authSignIn))
        let documents = (0..<Self.documentCount).map { index in
            Fixtures.document(
                key: "patients/p1/lab-results/\(String(format: "%05d", index)).pdf",
                fileName: "Scan \(index).pdf",
                uploadedAt: Int64(index)
            )
        }
        for batch in stride(from: 0, to: documents.count, by: 100) {
            let records = Array(documents[batch..<min(batch + 100, documents.count)])
            try await source.insertDocuments(records, audit: records.map { Fixtures.audit(documentKey: $0.key, patientID: "p1") })
        }
        try await source.recordStorageClass(
            documentID: documents[0].id,
            storageClass: "GLACIER_IR",
            at: Date(millisecondsSince1970: Fixtures.baseMilliseconds),
            audit: Fixtures.audit(request: 98)
        )
        try await source.recordUploadIntent(key: "patients/p1/lab-results/pending.pdf", at: Date(millisecondsSince1970: Fixtures.baseMilliseconds))
        _ = try await source.takeTokens([(key: "account:x", bucket: TokenBucket(size: 5, refillInterval: 60))], at: Date())
    }

    /// Copies `test`'s file into a fresh PostgreSQL database, runs `body` on the report and the target, drops it.
    private func copy(_ test: TestDatabase, _ body: (Result<DatabaseCopy.Report, any Error>, PostgresLocation) async throws -> Void) async throws {
        let location = try await PostgresTestServer.createDatabase()
        let result: Result<DatabaseCopy.Report, any Error>
        do {
            result = .success(try await copy(test, to: location))
        } catch {
            result = .failure(error)
        }
        do {
            try await body(result, location)
        } catch {
            try await PostgresTestServer.dropDatabase(location)
            throw error
        }
        try await PostgresTestServer.dropDatabase(location)
    }

    private func copy(_ test: TestDatabase, to location: PostgresLocation) async throws -> DatabaseCopy.Report {
        try await DatabaseCopy.copy(
            sqlitePath: test.path,
            to: location,
            migrationsRoot: Self.migrationsRoot,
            auditKey: TestDatabase.auditKey,
            logger: PostgresTestServer.quietLogger
        )
    }

    @Test("every table arrives row for row, the chain verifies, and the copy answers as the source did")
    func copiesEverything() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let source = try test.open()
        try await populate(source)
        let auditRows = Int64(4 + Self.documentCount)
        try await copy(test) { result, location in
            let report = try result.get()
            let rows = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.table, $0.rows) })
            #expect(rows["users"] == 1 && rows["care_team_members"] == 1 && rows["sessions"] == 1)
            #expect(rows["documents"] == Self.documentCount && rows["upload_intents"] == 1 && rows["sign_in_buckets"] == 1)
            #expect(rows["audit_events"] == Int(auditRows) && rows["document_storage_classes"] == 1)
            #expect(report.verification == .intact(count: auditRows))
            let target = try await PostgresTestServer.open(location)
            let key = "patients/p1/lab-results/00513.pdf"
            #expect(try await target.document(key: key) == source.document(key: key))
            #expect(try await target.session(tokenHash: Fixtures.tokenHash(1))?.user.email == "dr@x.org")
            #expect(try await target.careTeamMembers().map(\.patientID) == ["p1"])
            #expect(try await target.stats() == source.stats())
            let transitioned = try #require(try await source.document(key: "patients/p1/lab-results/00000.pdf"))
            #expect(try await target.storageClass(documentID: transitioned.id) == "GLACIER_IR")
            // The totals, counted once at the end of the copy, follow documents added afterwards (the trigger is back on).
            let copiedCount = try await target.stats().totalCount
            try await target.insertDocuments([Fixtures.document(key: "patients/p1/other/after-copy.txt")], audit: [])
            #expect(try await target.stats().totalCount == copiedCount + 1)
            // The chain goes on where SQLite's ended.
            #expect(try await target.appendAudit(Fixtures.audit(request: 99)).sequence == auditRows + 1)
            #expect(try await target.verifyAuditChain() == .intact(count: auditRows + 1))
            // A second copy into the same database is refused, and leaves it as it was.
            await #expect(throws: DatabaseCopyError.self) { try await copy(test, to: location) }
            #expect(try await target.verifyAuditChain() == .intact(count: auditRows + 1))
            await target.close()
        }
        await source.close()
    }

    @Test("a source chain that was tampered with arrives broken, and the copy says so")
    func tamperedChain() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let source = try test.open()
        try await populate(source)
        try await RawSQL.tamper("UPDATE audit_events SET actor_id = 'someone-else' WHERE sequence = 2", in: source)
        await source.close()
        try await copy(test) { result, _ in
            let report = try result.get()
            #expect(report.verification == .broken(sequence: 2, reason: .hashMismatch))
        }
    }
}
