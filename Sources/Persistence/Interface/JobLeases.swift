/// Leases that let a periodic job run on one node at a time when several nodes share the database, so a timer
/// that every node starts does its work once per round, not once per node.
///
/// The lease is held for the run only and is not a schedule: a node that finds it taken skips this round and tries
/// again at its next tick. A node that dies while holding it frees it (PostgreSQL releases a session's advisory
/// locks with the connection). Jobs must still be safe to repeat, since two rounds may follow each other closely.
package protocol JobLeases: Sendable {
    /// Runs `body` and returns its value if no other holder runs `job` now, holding the lease until `body` returns;
    /// returns nil without running it otherwise.
    ///
    /// SQLite always grants the lease (one node owns the file); PostgreSQL takes a session advisory lock
    /// (`pg_try_advisory_lock`) on a connection kept for the run, without waiting. Throws
    /// ``PersistenceError/unavailable`` when the server cannot be reached.
    func withJobLease<T: Sendable>(_ job: PeriodicJob, _ body: @escaping @Sendable () async -> T) async throws(PersistenceError) -> T?
}
