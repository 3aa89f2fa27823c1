import Audit
import Documents
import Foundation

@testable import Persistence

/// A database file in a fresh temporary directory (real disk, WAL), removed when the test ends.
struct TestDatabase {
    /// The repository's real `migrations/` directory, found from this file's path.
    static let migrationsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("migrations", isDirectory: true)

    let directory: URL
    let path: String

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("medvault-persistence-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("medvault.sqlite").path
    }

    func open(migrations: URL = TestDatabase.migrationsDirectory) throws -> AppDatabase {
        try AppDatabase(path: path, migrationsDirectory: migrations)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `body` with a freshly migrated database, then deletes the files.
    static func with<T>(_ body: (AppDatabase) async throws -> T) async throws -> T {
        let test = try TestDatabase()
        defer { test.remove() }
        return try await body(try test.open())
    }
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

    static func audit(_ action: AuditAction = .documentUpload, documentKey: String? = nil, request: Int = 1) -> AuditEntry {
        AuditEntry(
            occurredAt: Date(millisecondsSince1970: baseMilliseconds + Int64(request)),
            action: action,
            outcome: .success,
            httpStatus: 200,
            documentKey: documentKey,
            actorID: "user-1",
            actorRole: "admin",
            clientAddress: "127.0.0.1",
            userAgent: "tests",
            requestID: "req-\(request)"
        )
    }
}
