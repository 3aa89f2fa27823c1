import Documents
import PostgresNIO

extension PostgreSQLDatabase {
    /// Document rows and pending upload intents in `COLLATE "C"` (bytewise UTF-8) order, a page at a time.
    package func reconcileKeys(after afterKey: String?, limit: Int) async throws(PersistenceError) -> [IndexedEntry] {
        let after = afterKey ?? ""
        let logger = logger
        return try await read { connection in
            var entries: [IndexedEntry] = []
            let rows = try await connection.query(
                """
                SELECT key, id, size FROM (
                    SELECT key, id, size FROM documents WHERE key > \(after) COLLATE "C"
                    UNION ALL
                    SELECT key, NULL, NULL FROM upload_intents
                    WHERE key > \(after) COLLATE "C" AND NOT EXISTS (SELECT 1 FROM documents WHERE documents.key = upload_intents.key)
                ) AS indexed ORDER BY key COLLATE "C" LIMIT \(limit)
                """,
                logger: logger
            )
            for try await (key, id, size) in rows.decode((String, String?, Int64?).self) {
                entries.append(IndexedEntry(key: key, documentID: id, size: size))
            }
            return entries
        }
    }
}
