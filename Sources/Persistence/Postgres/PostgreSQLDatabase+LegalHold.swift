import Audit
import Documents
import Foundation
import PostgresNIO

extension PostgreSQLDatabase {
    /// Places a legal hold on a document (or replaces the reason of the one it has) and writes its audit row, in one
    /// transaction; returns the updated row. Throws ``PersistenceError/notFound``.
    package func holdDocument(
        id: UUID,
        reason: String,
        by userID: String?,
        at date: Date,
        audit: AuditEntry
    ) async throws(PersistenceError)
        -> DocumentRecord
    {
        try await changeDocument(
            id: id,
            audit: audit,
            check: { _ in },
            update: """
                UPDATE documents SET hold_reason = \(reason), held_at = \(date.millisecondsSince1970), held_by = \(userID)
                WHERE id = \(id.lowercaseText) RETURNING \(unescaped: DocumentRecord.postgresColumns)
                """
        )
    }

    /// Releases a document's legal hold and writes its audit row, in one transaction; returns the updated row.
    /// Throws ``PersistenceError/notFound`` or ``PersistenceError/notHeld``.
    package func releaseHold(id: UUID, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord {
        try await changeDocument(
            id: id,
            audit: audit,
            check: { record in guard record.isHeld else { throw PersistenceError.notHeld } },
            update: """
                UPDATE documents SET hold_reason = NULL, held_at = NULL, held_by = NULL
                WHERE id = \(id.lowercaseText) RETURNING \(unescaped: DocumentRecord.postgresColumns)
                """
        )
    }
}
