import Audit
import Documents
import Foundation
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
                SELECT key, id, size, status FROM (
                    SELECT key, id, size, status FROM documents WHERE key > \(after) COLLATE "C"
                    UNION ALL
                    SELECT key, NULL, NULL, NULL FROM upload_intents
                    WHERE key > \(after) COLLATE "C" AND NOT EXISTS (SELECT 1 FROM documents WHERE documents.key = upload_intents.key)
                ) AS indexed ORDER BY key COLLATE "C" LIMIT \(limit)
                """,
                logger: logger
            )
            for try await (key, id, size, status) in rows.decode((String, String?, Int64?, String?).self) {
                entries.append(IndexedEntry(key: key, documentID: id, size: size, status: status))
            }
            return entries
        }
    }

    /// Sets the status to `missing` and appends the audit row, in one transaction; the row is locked while it is read.
    @discardableResult
    package func markDocumentMissing(id: UUID, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord {
        try await changeDocument(
            id: id,
            audit: audit,
            check: { _ in },
            update: "UPDATE documents SET status = 'missing' WHERE id = \(id.lowercaseText) RETURNING \(unescaped: DocumentRecord.postgresColumns)"
        )
    }
}
