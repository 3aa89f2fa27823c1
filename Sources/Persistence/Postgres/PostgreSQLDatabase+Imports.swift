import Audit
import Documents
import Foundation
import PostgresNIO

extension PostgreSQLDatabase {
    /// The imports from `source`, oldest first, with their documents' current keys.
    package func documentImports(source: String) async throws(PersistenceError) -> [DocumentImport] {
        let logger = logger
        return try await read { connection in
            let rows = try await connection.query(
                """
                SELECT i.sha256, i.document_id, d.key, i.imported_at FROM document_imports i
                JOIN documents d ON d.id = i.document_id WHERE i.source = \(source) ORDER BY i.imported_at, i.document_id
                """,
                logger: logger
            )
            var imports: [DocumentImport] = []
            for try await (sha256, id, key, importedAt) in rows.decode((String, String, String, Int64).self) {
                guard let documentID = UUID(uuidString: id) else { continue }
                imports.append(
                    DocumentImport(
                        source: source,
                        sha256: sha256,
                        documentID: documentID,
                        key: key,
                        importedAt: Date(millisecondsSince1970: importedAt)
                    )
                )
            }
            return imports
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
        let logger = logger
        try await write { connection in
            try await self.settleUploadIntents(of: [record], on: connection)
            try await self.insertDocuments([record], audit: [audit], on: connection)
            try await connection.query(
                """
                INSERT INTO document_imports (source, sha256, document_id, imported_at)
                VALUES (\(source), \(sourceSHA256), \(record.id.lowercaseText), \(date.millisecondsSince1970))
                """,
                logger: logger
            )
        }
    }
}
