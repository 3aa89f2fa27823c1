import Audit
import Foundation

/// The storage class each document was transitioned to by the lifecycle rules (`MEDVAULT_ARCHIVE_STORAGE_CLASS`), so
/// a round does not transition the same document again; no record means the bucket's default class.
package protocol StorageClasses: Sendable {
    /// Records that the document now sits in `storageClass` and writes its audit row, in one transaction. Throws
    /// ``PersistenceError/notFound`` if there is no such document and ``PersistenceError/legalHold`` if it is held
    /// (checked with the row locked, so a hold placed meanwhile wins).
    func recordStorageClass(documentID: UUID, storageClass: String, at date: Date, audit: AuditEntry) async throws(PersistenceError)

    /// The storage class recorded for the document, or nil.
    func storageClass(documentID: UUID) async throws(PersistenceError) -> String?
}
