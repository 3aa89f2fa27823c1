import Audit
import Synchronization

/// Group commit for audit rows written on their own: the rows of concurrent requests share one write
/// transaction instead of paying for one each. The engine supplies the transaction (``Write``).
///
/// Every API call writes an audit row, so under load the writer spends its time opening and committing one-row
/// transactions. Here at most one batch is being written at a time; rows that arrive meanwhile wait in `pending`
/// and go into the next transaction together, so batches grow with the load and stay at one row when the server
/// is idle, without any timer.
/// - important: A caller is resumed only after the transaction that holds its row has committed; no request is
///   acknowledged before its audit row is durable. If a batch fails, its rows are retried one transaction each,
///   so one bad row cannot fail the requests of its neighbours.
final class AuditGroupCommit: Sendable {
    /// Writes `entries` as the next rows of the chain in one transaction and returns one record per entry, in
    /// order, once it has committed; throws a ``PersistenceError`` otherwise.
    typealias Write = @Sendable (_ entries: [AuditEntry]) async throws -> [AuditRecord]

    private typealias Waiter = CheckedContinuation<AuditRecord, any Error>

    private struct State {
        var pending: [(entry: AuditEntry, waiter: Waiter)] = []
        /// Whether a batch is being written; the task writing it starts the next one.
        var writing = false
    }

    /// The most rows in one transaction, so that one commit never holds the chain for long.
    static let maximumBatch = 256

    private let write: Write
    private let state = Mutex(State())

    init(write: @escaping Write) {
        self.write = write
    }

    /// How many rows wait for the next batch; for tests that hold the writer and watch rows queue up.
    var pendingCount: Int {
        state.withLock { $0.pending.count }
    }

    /// Whether a batch is being written; for the same tests.
    var isWriting: Bool {
        state.withLock { $0.writing }
    }

    /// Appends `entry` as the next row of the chain, returning the stored record once it is committed.
    func append(_ entry: AuditEntry) async throws -> AuditRecord {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            let startsBatch = state.withLock { state in
                state.pending.append((entry, waiter))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if startsBatch {
                Task { await self.writeBatches() }
            }
        }
    }

    /// Writes batches of up to ``maximumBatch`` pending rows, one transaction each, answering their callers after
    /// each commit (or failure), until nothing is pending.
    private func writeBatches() async {
        while true {
            let batch = state.withLock { state in
                let batch = Array(state.pending.prefix(Self.maximumBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.writing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let result: Result<[AuditRecord], any Error>
            do {
                result = .success(try await write(batch.map(\.entry)))
            } catch {
                result = .failure(error)
            }
            switch result {
            case .success(let records) where records.count == batch.count:
                for (item, record) in zip(batch, records) {
                    item.waiter.resume(returning: record)
                }
            case .success(let records):
                let error = PersistenceError.database.with(cause: "the audit writer returned \(records.count) records for \(batch.count) rows")
                for item in batch {
                    item.waiter.resume(throwing: error)
                }
            case .failure(let error) where batch.count == 1 || (error as? PersistenceError) == .unavailable:
                // Retrying row by row cannot help when the database is unreachable; it would only make the last
                // caller wait for every retry.
                for item in batch {
                    item.waiter.resume(throwing: error)
                }
            case .failure:
                await writeOneByOne(batch)
            }
        }
    }

    /// The fallback after a failed batch: each row in its own transaction, each caller answered with its own
    /// outcome.
    private func writeOneByOne(_ batch: [(entry: AuditEntry, waiter: Waiter)]) async {
        for item in batch {
            do {
                guard let record = try await write([item.entry]).first else {
                    throw PersistenceError.database.with(cause: "no audit record was written")
                }
                item.waiter.resume(returning: record)
            } catch {
                item.waiter.resume(throwing: error)
            }
        }
    }
}
