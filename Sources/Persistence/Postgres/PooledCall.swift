import PostgresNIO
import Synchronization

/// One call on a pooled connection, answered exactly once: with what its body returned or threw, or with
/// ``PersistenceError/unavailable`` when no connection was leased within the lease timeout, or when the connection
/// closed under the body and the body did not finish within the grace that follows.
///
/// The last case is why the body runs in a task of its own that the caller can stop waiting for. postgres-nio
/// hands a statement to the channel without a promise for the write, so a statement issued on a connection whose
/// channel has been torn down (the server ended it, by `pg_terminate_backend`, a restart or a crash, after the pool
/// leased it or between two statements of a transaction) is dropped, and whoever awaits it waits forever.
/// Statements in flight when the connection closes fail as they should, so a body whose connection has closed gets
/// `grace` to finish; then the caller is answered and the body, suspended on a statement that will never be
/// answered, is abandoned. Its lease is harmless: the pool dropped the closed connection when it closed.
final class PooledCall<T: Sendable>: Sendable {
    private enum Phase {
        case waitingForLease
        case leased(PostgresConnection)
        case answered
    }

    private struct State {
        var phase = Phase.waitingForLease
        var continuation: CheckedContinuation<T, any Error>?
        /// The task that leases a connection and runs the body.
        var work: Task<Void, Never>?
        /// The task that watches the lease and then the connection.
        var watcher: Task<Void, Never>?
        var cancelled = false
    }

    /// How often the watching task looks at the lease and the connection.
    private static var pollInterval: Duration { .milliseconds(100) }

    private let state = Mutex(State())

    /// Leases a connection of `client` for `body` and answers as the type describes.
    static func run(
        on client: PostgresClient,
        leaseTimeout: Duration,
        grace: Duration,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let call = PooledCall()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                call.state.withLock { $0.continuation = continuation }
                let work = Task {
                    do {
                        call.answer(.success(try await call.leaseOpenConnection(of: client, for: body)))
                    } catch {
                        call.answer(.failure(error))
                    }
                }
                let watcher = Task { await call.watch(leaseTimeout: leaseTimeout, grace: grace) }
                call.started(work: work, watcher: watcher)
            }
        } onCancel: {
            call.cancel()
        }
    }

    /// Keeps the two tasks for ``answer(_:unlessLeased:)`` and ``cancel()``; passes on a cancellation that came
    /// before them.
    private func started(work: Task<Void, Never>, watcher: Task<Void, Never>) {
        let (cancelled, answered) = state.withLock { state in
            state.work = work
            state.watcher = watcher
            if case .answered = state.phase { return (state.cancelled, true) }
            return (state.cancelled, false)
        }
        if cancelled { work.cancel() }
        if answered { watcher.cancel() }
    }

    /// Runs `body` on a connection of `client` that is open when leased. The pool can lease a connection the server
    /// has just closed, before it hears of the close: that one is handed back, and once the pool has dropped it
    /// (its close future completes after the pool's own close handler ran) the lease is asked for again.
    private func leaseOpenConnection(
        of client: PostgresClient,
        for body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        while true {
            do {
                return try await client.withConnection { connection in
                    try lease(connection)
                    return try await body(connection)
                }
            } catch let closed as ClosedWhenLeased {
                try? await closed.connection.closeFuture.get()
            }
        }
    }

    /// Records the leased connection. Throws ``ClosedWhenLeased`` when it has closed already, and a cancellation when
    /// the call was answered meanwhile (the lease timed out), so that the body never runs for a caller that has gone.
    private func lease(_ connection: PostgresConnection) throws {
        try state.withLock { state in
            guard case .waitingForLease = state.phase else { throw CancellationError() }
            guard !connection.isClosed else { throw ClosedWhenLeased(connection: connection) }
            state.phase = .leased(connection)
        }
    }

    /// Answers unavailable when no connection is leased within `leaseTimeout`, or when the leased connection has been
    /// closed for `grace` without the body answering; ends as soon as the call is answered.
    private func watch(leaseTimeout: Duration, grace: Duration) async {
        let deadline = ContinuousClock.now + leaseTimeout
        while (try? await Task.sleep(for: Self.pollInterval)) != nil {
            switch state.withLock({ $0.phase }) {
            case .answered:
                return
            case .waitingForLease:
                guard ContinuousClock.now >= deadline else { continue }
                answer(.failure(PersistenceError.unavailable.with(cause: "no connection within \(leaseTimeout)")), unlessLeased: true)
                return
            case .leased(let connection):
                guard connection.isClosed else { continue }
                try? await Task.sleep(for: grace)
                answer(.failure(PersistenceError.unavailable.with(cause: "the connection closed during the call")))
                return
            }
        }
    }

    /// Resumes the caller with `result` unless it was answered already (or, with `unlessLeased`, a connection has
    /// been leased), and stops the other task.
    private func answer(_ result: Result<T, any Error>, unlessLeased: Bool = false) {
        let taken = state.withLock { state -> (CheckedContinuation<T, any Error>, [Task<Void, Never>?])? in
            switch state.phase {
            case .answered: return nil
            case .leased where unlessLeased: return nil
            case .leased, .waitingForLease: break
            }
            state.phase = .answered
            guard let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, [state.work, state.watcher])
        }
        guard let (continuation, tasks) = taken else { return }
        for task in tasks {
            task?.cancel()
        }
        continuation.resume(with: result)
    }

    /// Passes the caller's cancellation on to the task of the body (a lease still awaited is given up); the
    /// watcher keeps watching, so a body stuck on a closed connection is still given up on.
    private func cancel() {
        let work = state.withLock { state in
            state.cancelled = true
            return state.work
        }
        work?.cancel()
    }
}

/// A connection the pool leased after the server had closed it.
private struct ClosedWhenLeased: Error {
    let connection: PostgresConnection
}
