import Foundation
import Logging
import PostgresNIO

@testable import Persistence

/// The PostgreSQL server the tests may use: `MEDVAULT_TEST_DATABASE_URL` (set by scripts/test.sh from
/// scripts/postgres.sh), a role that may create databases. Each test gets a database of its own, dropped after it.
enum PostgresTestServer {
    /// The server's URL, or nil when the tests run on SQLite only.
    static let url: String? = ProcessInfo.processInfo.environment["MEDVAULT_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// A logger that says nothing (postgres-nio's background messages would only clutter test output).
    static let quietLogger = Logger(label: "medvault-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The migrations of the PostgreSQL engine, found from this file's path.
    static let migrationsDirectory = TestDatabase.repositoryRoot.appendingPathComponent("migrations/postgres", isDirectory: true)

    /// Opens the database at `location` as a node would, with the tests' audit key.
    static func open(_ location: PostgresLocation) async throws -> PostgreSQLDatabase {
        try await PostgreSQLDatabase.open(location, migrationsDirectory: migrationsDirectory, auditKey: TestDatabase.auditKey, logger: quietLogger)
    }

    /// Creates an empty database with a fresh name and returns where it is.
    static func createDatabase() async throws -> PostgresLocation {
        var location = try baseLocation()
        let name = "medvault_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await administer { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: quietLogger)
        }
        location.database = name
        return location
    }

    /// Drops the database at `location`, disconnecting whoever still uses it. Now and then PostgreSQL refuses
    /// because a process of another role is on the database (its own short-lived workers, which the test role may
    /// not end: SQLSTATE 42501); that refusal is retried a few times.
    static func dropDatabase(_ location: PostgresLocation) async throws {
        for attempt in 1... {
            do {
                try await administer { connection in
                    let drop = PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)")
                    try await connection.query(drop, logger: quietLogger)
                }
                return
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42501" && attempt < 10 {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Ends every connection to the database at `location` from the server side, as a server restart would.
    static func terminateConnections(to location: PostgresLocation) async throws {
        try await administer { connection in
            try await connection.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(location.database) AND pid <> pg_backend_pid()",
                logger: quietLogger
            )
        }
    }

    /// Runs raw SQL on the database at `location` on a connection of its own.
    static func execute(_ sql: String, on location: PostgresLocation) async throws {
        try await withConnection(to: location) { connection in
            for statement in PostgresStatementSplitter.statements(in: sql) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: quietLogger)
            }
        }
    }

    /// Runs `body` on a connection to the server's own database (the one in the URL).
    private static func administer(_ body: (PostgresConnection) async throws -> Void) async throws {
        try await withConnection(to: try baseLocation(), body)
    }

    private static func withConnection<T>(to location: PostgresLocation, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: location.host,
                port: location.port,
                username: location.username,
                password: location.password,
                database: location.database,
                tls: .disable
            ),
            id: 1,
            logger: quietLogger
        )
        do {
            let value = try await body(connection)
            try await connection.close().get()
            return value
        } catch {
            try? await connection.close().get()
            throw error
        }
    }

    private static func baseLocation() throws -> PostgresLocation {
        guard let url else { throw PostgresTestServerError.notConfigured }
        return try PostgresLocation(url: url)
    }
}

/// The tests asked for PostgreSQL, but `MEDVAULT_TEST_DATABASE_URL` is not set.
enum PostgresTestServerError: Error {
    case notConfigured
}
