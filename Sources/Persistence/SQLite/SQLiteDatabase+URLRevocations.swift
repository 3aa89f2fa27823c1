import Audit
import Documents
import Foundation
import GRDB

extension SQLiteDatabase {
    /// Records the revocation, moves the row to `newKey` if given, and writes the audit row, in one transaction.
    package func revokeURLs(documentID: UUID, notBefore: Date, newKey: String?, audit: AuditEntry) async throws(PersistenceError) -> RevokedURLs {
        try await write { db in
            guard
                var record = try DocumentRecord.fetchOne(
                    db.cachedStatement(sql: "SELECT \(DocumentRecord.selectionSQL) FROM documents WHERE id = ?"),
                    arguments: [documentID.lowercaseText]
                )
            else { throw PersistenceError.notFound }
            if let newKey {
                record.key = newKey
                try record.update(db)
            }
            let recorded = try Int64.fetchOne(
                db,
                sql: """
                    INSERT INTO document_url_revocations (document_id, not_before) VALUES (?, ?)
                    ON CONFLICT (document_id) DO UPDATE SET not_before = max(excluded.not_before, not_before + 1000)
                    RETURNING not_before
                    """,
                arguments: [documentID.lowercaseText, notBefore.millisecondsSince1970]
            )
            _ = try appendAudit(audit, in: db)
            return RevokedURLs(document: record, notBefore: Date(millisecondsSince1970: recorded ?? notBefore.millisecondsSince1970))
        }
    }

    /// The recorded not-before instant, or nil.
    package func urlsNotBefore(documentID: UUID) async throws(PersistenceError) -> Date? {
        try await read { db in
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT not_before FROM document_url_revocations WHERE document_id = ?"),
                arguments: [documentID.lowercaseText]
            ).map(Date.init(millisecondsSince1970:))
        }
    }
}
