import Audit
import Documents
import Foundation
import GRDB

extension SQLiteDatabase {
    /// Document rows and pending upload intents in `BINARY` (memcmp of UTF-8) order, a page at a time.
    package func reconcileKeys(after afterKey: String?, limit: Int) async throws(PersistenceError) -> [IndexedEntry] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT key, id, size, status FROM (
                        SELECT key, id, size, status FROM documents WHERE key > ? COLLATE BINARY
                        UNION ALL
                        SELECT key, NULL, NULL, NULL FROM upload_intents
                        WHERE key > ? COLLATE BINARY AND NOT EXISTS (SELECT 1 FROM documents WHERE documents.key = upload_intents.key)
                    ) ORDER BY key COLLATE BINARY LIMIT ?
                    """,
                arguments: [afterKey ?? "", afterKey ?? "", limit]
            ).map { row in IndexedEntry(key: row["key"], documentID: row["id"], size: row["size"], status: row["status"]) }
        }
    }

    /// Sets the status to `missing` and appends the audit row, in one transaction.
    @discardableResult
    package func markDocumentMissing(id: UUID, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord {
        try await changeDocument(id: id, audit: audit) { record in record.status = .missing }
    }
}
