import GRDB

extension SQLiteDatabase {
    /// Succeeds when the file answers a trivial read.
    package func checkAvailability() async throws(PersistenceError) {
        try await read { db in try db.execute(sql: "SELECT 1") }
    }
}
