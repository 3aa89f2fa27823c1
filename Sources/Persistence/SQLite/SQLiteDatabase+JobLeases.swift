extension SQLiteDatabase {
    /// Runs `body`: the lease is always granted, since only one node (one process serving) owns a SQLite file.
    package func withJobLease<T: Sendable>(_ job: PeriodicJob, _ body: @escaping @Sendable () async -> T) async throws(PersistenceError) -> T? {
        await body()
    }
}
