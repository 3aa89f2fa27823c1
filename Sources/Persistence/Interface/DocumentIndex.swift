import Audit
import Foundation

/// The document index: where each stored object is, what it is and whose it is, for listing, search and
/// statistics without listing the bucket.
///
/// Every write runs in one transaction together with its audit rows: all of them commit, or none. Both engines
/// (``SQLiteDatabase``, ``PostgreSQLDatabase``) give the same answers to the same calls; which one runs is the
/// composition root's choice alone.
package protocol DocumentIndex: Sendable {
    /// Inserts uploaded documents and their audit rows in one transaction: all of them, or none.
    ///
    /// `searchName` is derived from each file name (``DocumentRecord/searchName(for:)``) whatever the record
    /// holds. Throws ``PersistenceError/keyConflict`` if a key or id exists, ``PersistenceError/constraintViolation``
    /// if a row breaks the schema's rules, and any error of writing the audit rows, in which case no document row
    /// is kept either.
    func insertDocuments(_ records: [DocumentRecord], audit: [AuditEntry]) async throws(PersistenceError)

    /// Archives a document (soft delete): status `archived`, key moved to `archivedKey`, the old key kept in
    /// `originalKey`, and the audit row written, in one transaction. Returns the updated row.
    ///
    /// The caller moves the object in storage; throws ``PersistenceError/notFound``, ``PersistenceError/alreadyArchived``,
    /// ``PersistenceError/legalHold``, or ``PersistenceError/keyConflict`` if `archivedKey` is taken.
    func archiveDocument(id: UUID, archivedKey: String, at date: Date, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord

    /// Restores an archived document: status `active`, key back to `originalKey`, `originalKey` and `archivedAt`
    /// cleared, and the audit row written, in one transaction. Returns the updated row.
    ///
    /// The caller moves the object back in storage; throws ``PersistenceError/notFound``,
    /// ``PersistenceError/notArchived``, or ``PersistenceError/keyConflict`` if another document took the original key.
    func restoreDocument(id: UUID, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord

    /// Removes a document's row for good and writes its audit row, in one transaction; returns the removed row
    /// so the caller can delete the object. Throws ``PersistenceError/notFound`` if there is no such document and
    /// ``PersistenceError/legalHold`` if it is held.
    @discardableResult
    func deleteDocument(id: UUID, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord

    /// Places a legal hold on a document (or replaces the reason of the one it has) and writes its audit row, in one
    /// transaction; returns the updated row. Throws ``PersistenceError/notFound``.
    func holdDocument(id: UUID, reason: String, by userID: String?, at date: Date, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord

    /// Releases a document's legal hold and writes its audit row, in one transaction; returns the updated row.
    /// Throws ``PersistenceError/notFound`` or ``PersistenceError/notHeld``.
    func releaseHold(id: UUID, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord

    /// The document with this id, active or archived, or nil.
    func document(id: UUID) async throws(PersistenceError) -> DocumentRecord?

    /// The document currently stored under this key, active or archived, or nil.
    func document(key: String) async throws(PersistenceError) -> DocumentRecord?

    /// One page of documents matching `query`, ordered by key (bytewise), with where the next page starts.
    ///
    /// Keyset pagination: the page continues after ``DocumentQuery/afterKey``, so a continuation token made by
    /// one node is valid on any other node on the same database.
    func listDocuments(_ query: DocumentQuery) async throws(PersistenceError) -> DocumentPage

    /// Counts and bytes of active documents in total, per category and per content type, the `recentLimit`
    /// most recent uploads (clamped to `0...100`), and the archived totals, all from one consistent snapshot.
    func stats(recentLimit: Int) async throws(PersistenceError) -> DocumentStats
}

extension DocumentIndex {
    /// ``stats(recentLimit:)`` with the ten most recent uploads.
    package func stats() async throws(PersistenceError) -> DocumentStats {
        try await stats(recentLimit: 10)
    }
}
