import Audit
import Foundation

extension SQLiteDatabase {
    /// Places a legal hold on a document (or replaces the reason of the one it has) and writes its audit row, in one
    /// transaction; returns the updated row. Throws ``PersistenceError/notFound``.
    package func holdDocument(
        id: UUID,
        reason: String,
        by userID: String?,
        at date: Date,
        audit: AuditEntry
    ) async throws(PersistenceError) -> DocumentRecord {
        try await changeDocument(id: id, audit: audit) { record in
            record.holdReason = reason
            record.heldAt = date.roundedToMilliseconds
            record.heldBy = userID
        }
    }

    /// Releases a document's legal hold and writes its audit row, in one transaction; returns the updated row.
    /// Throws ``PersistenceError/notFound`` or ``PersistenceError/notHeld``.
    package func releaseHold(id: UUID, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord {
        try await changeDocument(id: id, audit: audit) { record in
            guard record.isHeld else { throw PersistenceError.notHeld }
            record.holdReason = nil
            record.heldAt = nil
            record.heldBy = nil
        }
    }
}
