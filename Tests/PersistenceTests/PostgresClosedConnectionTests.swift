import Foundation
import PostgresNIO
import Testing

@testable import Persistence

/// A connection the server closes while a call holds it: the call fails as unavailable within a bounded time,
/// however postgres-nio loses the statements issued on it, and the next call gets a fresh connection.
@Suite("PostgreSQL connection closed under a call", .enabled(if: PostgresTestServer.url != nil, "MEDVAULT_TEST_DATABASE_URL is not set"))
struct PostgresClosedConnectionTests {
    @Test("a statement issued after the server closed the connection fails as unavailable instead of waiting forever")
    func statementAfterClose() async throws {
        let location = try await PostgresTestServer.createDatabase()
        let database = try await PostgresTestServer.open(location)
        let logger = PostgresTestServer.quietLogger
        let started = ContinuousClock.now
        await #expect(throws: PersistenceError.unavailable) {
            try await database.read { connection in
                _ = try? await connection.query("SELECT pg_terminate_backend(pg_backend_pid())", logger: logger)
                while !connection.isClosed {
                    try await Task.sleep(for: .milliseconds(10))
                }
                // The channel's pipeline is torn down an event-loop tick after it closes; a statement written after
                // that is dropped by postgres-nio without an answer.
                try await Task.sleep(for: .milliseconds(200))
                _ = try await connection.query("SELECT 1", logger: logger).collect()
            }
        }
        // About 1.2 s (the closed-connection grace after the teardown); the bound only says it did not wait on the
        // lease or forever, and is generous because the whole unit suite shares two cores with it.
        #expect(ContinuousClock.now - started < .seconds(15))
        try await database.checkAvailability()
        await database.close()
        try await PostgresTestServer.dropDatabase(location)
    }
}
