import Audit
import GRDB
import Synchronization

/// Group commit for audit rows written on their own (``AppDatabase/appendAudit(_:)``): the rows of concurrent
/// requests share one write transaction instead of paying for one each.
///
/// Every API call writes an audit row, so under load the single SQLite writer spends its time opening and
/// committing one-row transactions, each appending its own WAL frames (and bringing the next checkpoint, with
/// its fsyncs, closer). Here at most one batch is being written at a time; rows that arrive meanwhile wait in
/// `pending` and go into the next transaction together, so batches grow with the load and stay at one row when
/// the server is idle, without any timer.
/// - important: A caller is resumed only from the completion of the transaction that holds its row, after
///   COMMIT returned; no request is acknowledged before its audit row is committed. If a batch fails, its rows
///   are retried one transaction each, so one bad row cannot fail the requests of its neighbours.
final class AuditAppender: Sendable {
    private typealias Waiter = CheckedContinuation<AuditRecord, any Error>

    private struct State {
        var pending: [(entry: AuditEntry, waiter: Waiter)] = []
        /// Whether a batch is being written; the completion of that batch starts the next one.
        var writing = false
    }

    /// The most rows in one transaction, so that one commit never holds the writer for long.
    static let maximumBatch = 256

    private let writer: any DatabaseWriter
    private let auditKey: AuditKey
    private let state = Mutex(State())

    init(writer: any DatabaseWriter, auditKey: AuditKey) {
        self.writer = writer
        self.auditKey = auditKey
    }

    /// How many rows wait for the next batch; for tests that hold the writer and watch rows queue up.
    var pendingCount: Int {
        state.withLock { $0.pending.count }
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
            if startsBatch { writeNextBatch() }
        }
    }

    /// Takes up to ``maximumBatch`` pending rows and writes them in one transaction; when it has committed (or
    /// failed), answers their callers and starts the next batch, or stops when nothing is pending.
    private func writeNextBatch() {
        let batch = state.withLock { state in
            let batch = Array(state.pending.prefix(Self.maximumBatch))
            state.pending.removeFirst(batch.count)
            if batch.isEmpty { state.writing = false }
            return batch
        }
        guard !batch.isEmpty else { return }
        let entries = batch.map(\.entry)
        let key = auditKey
        writer.asyncWrite(
            { db in try AppDatabase.appendAudit(entries, key: key, in: db) },
            completion: { db, result in
                switch result {
                case .success(let records):
                    // `appendAudit` returns one record per entry, in order.
                    for (item, record) in zip(batch, records) {
                        item.waiter.resume(returning: record)
                    }
                case .failure(let error):
                    if batch.count == 1 {
                        batch[0].waiter.resume(throwing: error)
                    } else {
                        Self.writeOneByOne(batch, key: key, in: db)
                    }
                }
                self.writeNextBatch()
            }
        )
    }

    /// The fallback after a failed batch: each row in its own transaction, each caller answered with its own
    /// outcome. Runs in the completion of the failed batch, which still has exclusive use of the writer.
    private static func writeOneByOne(_ batch: [(entry: AuditEntry, waiter: Waiter)], key: AuditKey, in db: Database) {
        for item in batch {
            do {
                var records: [AuditRecord] = []
                try db.inTransaction {
                    records = try AppDatabase.appendAudit([item.entry], key: key, in: db)
                    return .commit
                }
                guard let record = records.first else { throw PersistenceError.database.with(cause: "no audit record was written") }
                item.waiter.resume(returning: record)
            } catch {
                item.waiter.resume(throwing: error)
            }
        }
    }
}
