import Logging
import PostgresNIO

extension PostgreSQLDatabase {
    /// How a transaction sees the rows of others.
    enum TransactionKind {
        /// `READ COMMITTED` (PostgreSQL's default): each statement sees what was committed when it started;
        /// writes lock the rows they touch.
        case write
        /// `REPEATABLE READ READ ONLY`: one snapshot for every statement, for reads that must agree with each other
        /// (statistics, verification).
        case snapshot

        var begin: PostgresQuery {
            switch self {
            case .write: "BEGIN"
            case .snapshot: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
            }
        }
    }

    /// Runs `body` in one write transaction, translating errors into ``PersistenceError``.
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(PersistenceError) -> T {
        try await transaction(.write, body)
    }

    /// Runs `body` in one read-only snapshot transaction, translating errors.
    func snapshot<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(PersistenceError) -> T {
        try await transaction(.snapshot, body)
    }

    /// Runs `body`, whose statements each run on their own (one-statement reads need no transaction).
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(PersistenceError) -> T {
        try await withConnection(body)
    }

    /// Runs `body` between `BEGIN` and `COMMIT`, rolling back if it throws.
    func transaction<T: Sendable>(
        _ kind: TransactionKind,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(PersistenceError) -> T {
        let logger = logger
        return try await withConnection { connection in
            try await Self.inTransaction(kind, on: connection, logger: logger, body)
        }
    }

    /// `BEGIN`, `body`, `COMMIT` on `connection`; `ROLLBACK` and rethrow if `body` throws. Errors are not
    /// translated, so the caller sees what failed.
    static func inTransaction<T>(
        _ kind: TransactionKind,
        on connection: PostgresConnection,
        logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await connection.query(kind.begin, logger: logger)
        let value: T
        do {
            value = try await body(connection)
        } catch {
            // A closed connection cannot roll back (postgres-nio would drop the statement and never answer), and the
            // server ends its transaction anyway.
            if !connection.isClosed {
                _ = try? await connection.query("ROLLBACK", logger: logger)
            }
            throw error
        }
        try await connection.query("COMMIT", logger: logger)
        return value
    }

    /// Leases a pooled connection for `body`, waiting at most ``leaseTimeout`` for one; errors are translated.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(PersistenceError) -> T {
        do {
            return try await Self.withConnection(from: client, body)
        } catch {
            throw Self.translate(error)
        }
    }

    /// Leases a connection of `client` for `body`, waiting at most ``leaseTimeout`` for one: when the server is
    /// down, the pool keeps retrying in the background and callers get ``PersistenceError/unavailable`` meanwhile
    /// instead of waiting for it. Once leased, `body` runs to its end, however long (a migration waiting for
    /// another node's lock), unless the server closes the connection under it: then the call fails as
    /// ``PersistenceError/unavailable`` about ``closedConnectionGrace`` later (see ``PooledCall``). Errors are not
    /// translated.
    static func withConnection<T: Sendable>(
        from client: PostgresClient,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await PooledCall.run(on: client, leaseTimeout: leaseTimeout, grace: closedConnectionGrace, body)
    }
}

extension PostgresRowSequence {
    /// Every row's first column, decoded as `T`.
    func decodeAll<T: PostgresDecodable>(_ type: T.Type) async throws -> [T] {
        var values: [T] = []
        for try await row in self {
            values.append(try row.decode(T.self))
        }
        return values
    }

    /// The first row, if any; the others are read and dropped.
    func first() async throws -> PostgresRow? {
        var first: PostgresRow?
        for try await row in self where first == nil {
            first = row
        }
        return first
    }
}
