import Audit
import Documents
import Foundation

/// The index's side of reconciliation: every key it knows of, in UTF-8 byte order, one page at a time.
package protocol ReconcileKeys: Sendable {
    /// Up to `limit` keys after `afterKey` (from the start when nil), in UTF-8 byte order, the order S3 lists in:
    /// each document row (any status) with its id and size, and each upload intent without a row, whose object may
    /// not be written yet. Both engines compare keys with a binary collation (SQLite `BINARY`, PostgreSQL `"C"`),
    /// never a locale's, so the pages merge with the store's listing.
    func reconcileKeys(after afterKey: String?, limit: Int) async throws(PersistenceError) -> [IndexedEntry]

    /// Marks document `id` ``DocumentStatus/missing`` (its object is gone from the store) and writes `audit`, in one
    /// transaction; returns the row as written. Throws ``PersistenceError/notFound`` when there is no such document.
    /// A row already missing is left as it is (and still audited), so a repeated fix is harmless.
    @discardableResult
    func markDocumentMissing(id: UUID, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord
}

extension IndexedEntry {
    /// Builds an entry from a row of the reconcile query: a document has an id, a size and a status, an intent none.
    init(key: String, documentID: String?, size: Int64?, status: String?) {
        if let documentID, let size {
            self.init(key: key, kind: status == DocumentStatus.missing.rawValue ? .markedMissing : .document(id: documentID, size: size))
        } else {
            self.init(key: key, kind: .uploadInProgress)
        }
    }
}
