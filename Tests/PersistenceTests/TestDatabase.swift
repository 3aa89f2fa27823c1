import Access
import Audit
import Crypto
import Documents
import Foundation
import GRDB
import Testing

@testable import Persistence

/// A database file in a fresh temporary directory (real disk, WAL), removed when the test ends.
struct TestDatabase {
    /// The repository, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The repository's real migrations of the SQLite engine.
    static let migrationsDirectory = repositoryRoot.appendingPathComponent("migrations/sqlite", isDirectory: true)

    let directory: URL
    let path: String

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("medvault-persistence-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("medvault.sqlite").path
    }

    /// The audit key of every test database: fixed bytes, so chains are reproducible.
    static let auditKey = AuditKey(SymmetricKey(data: [UInt8](repeating: 0x5A, count: 32)))

    func open(migrations: URL = TestDatabase.migrationsDirectory, auditKey: AuditKey = TestDatabase.auditKey) throws -> SQLiteDatabase {
        try SQLiteDatabase(path: path, migrationsDirectory: migrations, auditKey: auditKey)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `body` with a freshly migrated database, then deletes the files.
    static func with<T>(_ body: (SQLiteDatabase) async throws -> T) async throws -> T {
        let test = try TestDatabase()
        defer { test.remove() }
        return try await body(try test.open())
    }

    /// Runs `body` with a freshly migrated database on `engine`, then removes it (the files, or the PostgreSQL
    /// database).
    static func with<T>(_ engine: TestEngine, _ body: (any AppDatabase) async throws -> T) async throws -> T {
        switch engine {
        case .sqlite:
            return try await with { database in try await body(database) }
        case .postgres:
            let location = try await PostgresTestServer.createDatabase()
            let result: Result<T, any Error>
            do {
                let database = try await PostgresTestServer.open(location)
                do {
                    result = .success(try await body(database))
                } catch {
                    result = .failure(error)
                }
                await database.close()
            } catch {
                result = .failure(error)
            }
            try await PostgresTestServer.dropDatabase(location)
            return try result.get()
        }
    }
}

/// The engines the persistence tests run on: SQLite always, PostgreSQL as well when
/// `MEDVAULT_TEST_DATABASE_URL` names a server (scripts/test.sh starts one).
enum TestEngine: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// The engines of this run.
    static let all: [TestEngine] = PostgresTestServer.url == nil ? [.sqlite] : [.sqlite, .postgres]

    var testDescription: String { rawValue }
}

/// Builders for rows and audit entries.
enum Fixtures {
    static let baseMilliseconds: Int64 = 1_750_000_000_000

    static func document(
        key: String,
        fileName: String = "report.pdf",
        size: Int64 = 1000,
        contentType: String = "application/pdf",
        category: FileCategory = .medicalRecords,
        uploadedAt offset: Int64 = 0,
        id: UUID = UUID()
    ) -> DocumentRecord {
        DocumentRecord(
            id: id,
            key: key,
            fileName: fileName,
            size: size,
            contentType: contentType,
            category: category,
            entityType: .patient,
            entityID: "p1",
            sha256: String(repeating: "ab", count: 32),
            etag: "\"etag\"",
            uploadedAt: Date(millisecondsSince1970: baseMilliseconds + offset),
            uploadedBy: "user-1"
        )
    }

    static func audit(
        _ action: AuditAction = .documentUpload,
        documentKey: String? = nil,
        patientID: String? = nil,
        request: Int = 1
    ) -> AuditEntry {
        AuditEntry(
            occurredAt: Date(millisecondsSince1970: baseMilliseconds + Int64(request)),
            action: action,
            outcome: .success,
            httpStatus: 200,
            documentKey: documentKey,
            patientID: patientID,
            actorID: "user-1",
            actorRole: "admin",
            clientAddress: "127.0.0.1",
            userAgent: "tests",
            requestID: "req-\(request)"
        )
    }

    /// A user of `role`; patients and providers get the entity id their role requires (`entityID`, or a default).
    static func user(_ email: String, _ role: Role = .admin, entityID: String? = nil, id: UUID = UUID()) -> UserRecord {
        UserRecord(
            id: id,
            email: email,
            role: role,
            patientID: role == .patient ? entityID ?? "p1" : nil,
            providerID: role == .provider ? entityID ?? "dr1" : nil,
            passwordHash: "$2b$12$notarealhashnotarealhashnotarealhashnotarealhashnotr",
            createdAt: Date(millisecondsSince1970: baseMilliseconds)
        )
    }

    /// A session of `userID` whose token hash is derived from `token` (64 hex digits, as the schema requires),
    /// created at the base instant and ending `lifetime` milliseconds later.
    static func session(_ token: Int, userID: UUID, lifetime: Int64 = 3_600_000) -> SessionRecord {
        SessionRecord(
            tokenHash: tokenHash(token),
            userID: userID,
            csrfToken: "csrf-\(token)",
            createdAt: Date(millisecondsSince1970: baseMilliseconds),
            lastSeenAt: Date(millisecondsSince1970: baseMilliseconds),
            expiresAt: Date(millisecondsSince1970: baseMilliseconds + lifetime)
        )
    }

    /// A valid token hash (64 lowercase hex digits) distinct for each `token`.
    static func tokenHash(_ token: Int) -> String {
        String(repeating: "0", count: 48) + String(format: "%016x", token)
    }
}

/// What the release before the keyed audit chain wrote, for upgrade tests.
enum PreviousRelease {
    /// Appends audit rows the way medvault did before the chain was keyed: unkeyed SHA-256 hashes, stored without
    /// the columns that later migrations added (`withoutColumns`).
    static func appendAudit(_ entries: [AuditEntry], to database: SQLiteDatabase, withoutColumns: [String]) async throws -> [AuditRecord] {
        try await database.databasePool.write { db in
            var records: [AuditRecord] = []
            for (index, entry) in entries.enumerated() {
                let sequence = Int64(index + 1)
                let previousHash = records.last?.hash ?? AuditChain.genesisHash
                let record = AuditRecord(
                    sequence: sequence,
                    entry: entry,
                    previousHash: previousHash,
                    hash: AuditChain.unkeyedHash(sequence: sequence, entry: entry, previousHash: previousHash),
                    version: .unkeyed
                )
                var values = try AuditEventRow(record).databaseDictionary
                for column in withoutColumns { values[column] = nil }
                let columns = Array(values.keys)
                try db.execute(
                    sql: "INSERT INTO audit_events (\(columns.joined(separator: ", "))) VALUES (\(databaseQuestionMarks(count: columns.count)))",
                    arguments: StatementArguments(columns.compactMap { values[$0] })
                )
                records.append(record)
            }
            return records
        }
    }

    /// Inserts a document row the way an earlier schema held it: without the columns later migrations added
    /// (`withoutColumns`), which the current record would write.
    static func insertDocument(_ record: DocumentRecord, to database: SQLiteDatabase, withoutColumns: [String]) async throws {
        try await database.databasePool.write { db in
            var values = try record.databaseDictionary
            for column in withoutColumns { values[column] = nil }
            let columns = Array(values.keys)
            try db.execute(
                sql: "INSERT INTO documents (\(columns.joined(separator: ", "))) VALUES (\(databaseQuestionMarks(count: columns.count)))",
                arguments: StatementArguments(columns.compactMap { values[$0] })
            )
        }
    }
}
