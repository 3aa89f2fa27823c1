import PostgresNIO

extension PostgreSQLDatabase {
    /// The advisory lock class of job leases: "mdvj" in ASCII, beside the migration lock's "mdvl"
    /// (``PostgresMigrator/lockKey``); the object half is `hashtext` of the job's name.
    static let jobLeaseClass: Int32 = 0x6D64_766A

    /// Runs `body` if this connection gets `job`'s session advisory lock without waiting, and returns nil otherwise.
    ///
    /// The lock lives on a pooled connection kept for the whole run (`body`'s own queries use other connections), so
    /// two holders on one node exclude each other as two nodes do; it is released when `body` returns, or by the
    /// server when the connection or the node dies. When the connection dies during `body`, the lease is gone and the
    /// call answers ``PersistenceError/unavailable`` (``closedConnectionGrace`` later) while `body` finishes on its own.
    package func withJobLease<T: Sendable>(_ job: PeriodicJob, _ body: @escaping @Sendable () async -> T) async throws(PersistenceError) -> T? {
        let (logger, lockClass, name) = (logger, Self.jobLeaseClass, job.name)
        return try await withConnection { connection -> T? in
            let granted = try await connection.query(
                "SELECT pg_try_advisory_lock(\(lockClass), hashtext(\(name)))",
                logger: logger
            ).decodeAll(Bool.self)
            guard granted == [true] else { return nil }
            let value = await body()
            // A lost connection has released the lock with its session already (and would never answer the unlock).
            if !connection.isClosed {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockClass), hashtext(\(name)))", logger: logger).collect()
            }
            return value
        }
    }
}
