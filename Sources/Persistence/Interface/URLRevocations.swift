import Audit
import Foundation

/// Revocation of a document's pre-signed URLs (`POST /api/v2/documents/{id}/revoke`): the instant before which no
/// URL for the document is accepted, and, where the backend cannot check that instant (S3), the fresh key the object
/// moved to so that old URLs find nothing.
package protocol URLRevocations: Sendable {
    /// Records that every URL for the document signed before `notBefore` is revoked, moves its index row to `newKey`
    /// when the caller moved the object to a fresh key, and writes the audit row, in one transaction. Returns the row
    /// as it now is (its id never changes) and the instant recorded.
    ///
    /// `notBefore` must be a whole second (X-Amz-Date's resolution); the schema refuses anything else with
    /// ``PersistenceError/constraintViolation``. A document revoked again before a second has passed since its last
    /// not-before instant gets the next second instead, so URLs issued in between (signed at that instant) are
    /// refused too. Throws ``PersistenceError/notFound`` if there is no such document, ``PersistenceError/keyConflict``
    /// if `newKey` is taken.
    func revokeURLs(documentID: UUID, notBefore: Date, newKey: String?, audit: AuditEntry) async throws(PersistenceError) -> RevokedURLs

    /// The earliest signing time still accepted for the document's URLs; nil if they were never revoked.
    func urlsNotBefore(documentID: UUID) async throws(PersistenceError) -> Date?
}
