import Audit
import Documents
import Foundation
import GRDB

extension SQLiteDatabase {
    /// Records the storage class and writes the audit row, in one transaction; refuses a held document.
    package func recordStorageClass(documentID: UUID, storageClass: String, at date: Date, audit: AuditEntry) async throws(PersistenceError) {
        try await write { db in
            guard
                let record = try DocumentRecord.fetchOne(
                    db.cachedStatement(sql: "SELECT \(DocumentRecord.selectionSQL) FROM documents WHERE id = ?"),
                    arguments: [documentID.lowercaseText]
                )
            else { throw PersistenceError.notFound }
            guard !record.isHeld else { throw PersistenceError.legalHold }
            try db.execute(
                sql: """
                    INSERT INTO document_storage_classes (document_id, storage_class, transitioned_at) VALUES (?, ?, ?)
                    ON CONFLICT (document_id) DO UPDATE SET storage_class = excluded.storage_class, transitioned_at = excluded.transitioned_at
                    """,
                arguments: [documentID.lowercaseText, storageClass, date.millisecondsSince1970]
            )
            _ = try appendAudit(audit, in: db)
        }
    }

    /// The recorded storage class, or nil.
    package func storageClass(documentID: UUID) async throws(PersistenceError) -> String? {
        try await read { db in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT storage_class FROM document_storage_classes WHERE document_id = ?"),
                arguments: [documentID.lowercaseText]
            )
        }
    }
}
