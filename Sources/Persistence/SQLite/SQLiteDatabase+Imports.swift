import Audit
import Documents
import Foundation
import GRDB

/// The files `medvault import` brought in (migration `0016_document_imports`).
extension SQLiteDatabase {
    /// The imports from `source`, oldest first, with their documents' current keys.
    package func documentImports(source: String) async throws(PersistenceError) -> [DocumentImport] {
        try await read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT i.sha256, i.document_id, d.key, i.imported_at FROM document_imports i
                        JOIN documents d ON d.id = i.document_id WHERE i.source = ? ORDER BY i.imported_at, i.rowid
                        """
                ),
                arguments: [source]
            ).compactMap { row in
                let id: String = row["document_id"]
                return UUID(uuidString: id).map {
                    DocumentImport(
                        source: source,
                        sha256: row["sha256"],
                        documentID: $0,
                        key: row["key"],
                        importedAt: Date(millisecondsSince1970: row["imported_at"])
                    )
                }
            }
        }
    }

    /// Settles the intent, inserts the document, its audit row and the import row, in one transaction.
    package func insertImportedDocument(
        _ record: DocumentRecord,
        source: String,
        sourceSHA256: String,
        at date: Date,
        audit: AuditEntry
    ) async throws(PersistenceError) {
        try await write { db in
            try self.settleUploadIntents(of: [record], in: db)
            try self.insertDocuments([record], audit: [audit], in: db)
            try db.execute(
                sql: "INSERT INTO document_imports (source, sha256, document_id, imported_at) VALUES (?, ?, ?, ?)",
                arguments: [source, sourceSHA256, record.id.lowercaseText, date.millisecondsSince1970]
            )
        }
    }
}
