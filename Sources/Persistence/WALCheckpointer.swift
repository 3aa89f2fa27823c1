import Dispatch
import GRDB

/// Copies the write-ahead log back into the database file from a connection of its own, so that the fsyncs
/// of checkpointing stay off the request path.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that pushes the WAL over its threshold, on the pool's
/// single writer: with `synchronous = NORMAL` that commit then fsyncs the WAL and the database file (about
/// 8 ms each on this project's disks), and every request waiting for an audit row waits with it. Measured
/// under pre-signing load, that made p99 latency about 2× what it was with the same files on tmpfs. Here a
/// PASSIVE checkpoint (`sqlite3_wal_checkpoint_v2`, which never waits for or blocks the writer or readers)
/// runs every ``interval`` from a separate connection, and the writer's own automatic checkpoint is raised to
/// ``writerAutocheckpointPages``, far above what the WAL reaches between two runs, so it only acts as a net.
/// - important: Durability is unchanged: a commit is durable once in the WAL (as before); the checkpoint only
///   moves committed pages into the main file.
final class WALCheckpointer: @unchecked Sendable {
    // @unchecked: `timer` is set once in init and only cancelled in deinit; `connection` is only touched on
    // `queue`, which is serial.

    /// How often the WAL is checkpointed.
    static let interval = DispatchTimeInterval.milliseconds(500)
    /// The writer connection's `wal_autocheckpoint`, in pages: a safety net should this checkpointer fall behind.
    static let writerAutocheckpointPages = 10_000

    private let path: String
    private let configuration: Configuration
    private let queue = DispatchQueue(label: "medvault.wal-checkpoint", qos: .utility)
    private let timer: any DispatchSourceTimer
    private var connection: DatabaseQueue?

    /// Starts checkpointing the database at `path` every ``interval``. Its connection is opened on the first
    /// run (and again after a failure), so a busy database at start-up cannot make opening fail.
    init(path: String, configuration: Configuration) {
        self.path = path
        self.configuration = configuration
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + Self.interval, repeating: Self.interval)
        timer.setEventHandler { [weak self] in self?.checkpoint() }
        timer.resume()
    }

    deinit {
        timer.cancel()
    }

    /// One PASSIVE checkpoint. A failure leaves the pages in the WAL, where readers find them, and the next run
    /// (or the writer's automatic checkpoint) copies them: nothing is lost, so there is nothing to report.
    private func checkpoint() {
        do {
            let connection = try self.connection ?? DatabaseQueue(path: path, configuration: configuration)
            self.connection = connection
            _ = try connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        } catch {
            connection = nil
        }
    }
}
