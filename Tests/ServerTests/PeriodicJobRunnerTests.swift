import Access
import Audit
import Foundation
import Logging
import Persistence
import Testing

@testable import Server

/// ``PeriodicJobRunner`` and ``SessionPurge`` over a real database: a round runs its work under the job's lease.
@Suite struct PeriodicJobRunnerTests {
    static let logger = Logger(label: "PeriodicJobRunnerTests", factory: { _ in SwiftLogNoOpLogHandler() })
    /// A well-formed bcrypt hash nobody signs in with.
    static let passwordHash = "$2b$12$" + String(repeating: "a", count: 53)

    @Test("a round purges the sessions past their end and keeps the others")
    func purgesExpiredSessions() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jobs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try ServerTestDatabase.open(in: directory)
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        let user = try await database.insertUser(
            UserRecord(id: UUID(), email: "a@x.org", role: .admin, passwordHash: Self.passwordHash, createdAt: start),
            audit: AuditEntry(occurredAt: start, action: .userCreate, outcome: .success, requestID: "r1")
        )
        for (token, lifetime) in [("a", 60.0), ("b", 7200.0)] {
            let hash = String(repeating: token, count: 64)
            let session = SessionRecord(
                tokenHash: hash,
                userID: user.id,
                csrfToken: token,
                createdAt: start,
                lastSeenAt: start,
                expiresAt: start.addingTimeInterval(lifetime)
            )
            try await database.createSession(session, audit: nil)
        }
        let purge = SessionPurge(database: database, now: { start.addingTimeInterval(3600) }, logger: Self.logger)
        let runner = PeriodicJobRunner(job: .sessionPurge, interval: SessionPurge.interval, leases: database, logger: Self.logger) {
            #expect(await purge.purge() == 1)
        }
        #expect(await runner.runOnce())
        #expect(try await database.session(tokenHash: String(repeating: "a", count: 64)) == nil)
        #expect(try await database.session(tokenHash: String(repeating: "b", count: 64)) != nil)
    }
}
