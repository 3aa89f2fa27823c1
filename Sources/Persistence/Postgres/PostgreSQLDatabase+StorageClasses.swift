import Audit
import Documents
import Foundation
import PostgresNIO

extension PostgreSQLDatabase {
    /// Records the storage class and writes the audit row, in one transaction; the document's row is locked first, so
    /// a hold placed on another node meanwhile is seen and refuses the transition.
    package func recordStorageClass(documentID: UUID, storageClass: String, at date: Date, audit: AuditEntry) async throws(PersistenceError) {
        let logger = logger
        try await write { connection in
            let id = documentID.lowercaseText
            let rows = try await connection.query("SELECT hold_reason FROM documents WHERE id = \(id) FOR UPDATE", logger: logger)
            guard let row = try await rows.first() else { throw PersistenceError.notFound }
            guard try row.decode(String?.self) == nil else { throw PersistenceError.legalHold }
            try await connection.query(
                """
                INSERT INTO document_storage_classes (document_id, storage_class, transitioned_at)
                VALUES (\(id), \(storageClass), \(date.millisecondsSince1970))
                ON CONFLICT (document_id) DO UPDATE SET storage_class = excluded.storage_class, transitioned_at = excluded.transitioned_at
                """,
                logger: logger
            )
            _ = try await appendAudit([audit], on: connection)
        }
    }

    /// The recorded storage class, or nil.
    package func storageClass(documentID: UUID) async throws(PersistenceError) -> String? {
        let logger = logger
        return try await read { connection in
            let rows = try await connection.query(
                "SELECT storage_class FROM document_storage_classes WHERE document_id = \(documentID.lowercaseText)",
                logger: logger
            )
            return try await rows.first()?.decode(String.self)
        }
    }
}
