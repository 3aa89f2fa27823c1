import Logging
import PostgresNIO
import Synchronization

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
            // A broken connection cannot roll back, and the server ends its transaction anyway.
            _ = try? await connection.query("ROLLBACK", logger: logger)
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
    /// another node's lock). Errors are not translated.
    static func withConnection<T: Sendable>(
        from client: PostgresClient,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let leased = LeaseFlag()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await client.withConnection { connection in
                    leased.value.store(true, ordering: .relaxed)
                    return try await body(connection)
                }
            }
            group.addTask {
                try await Task.sleep(for: leaseTimeout)
                guard leased.value.load(ordering: .relaxed) else {
                    throw PersistenceError.unavailable.with(cause: "no connection within \(leaseTimeout)")
                }
                return nil
            }
            while let result = try await group.next() {
                if let value = result {
                    group.cancelAll()
                    return value
                }
            }
            throw PersistenceError.database.with(cause: "the connection task ended without a result")
        }
    }
}

/// Whether a connection was leased, shared by the task that leases it and the timer that gives up waiting.
private final class LeaseFlag: Sendable {
    let value = Atomic(false)
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
