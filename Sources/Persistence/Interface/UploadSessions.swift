import Audit
import Foundation

/// Direct upload sessions (migration `0008_upload_sessions`): uploads whose bytes go straight to storage through
/// pre-signed URLs and become documents only once verified.
///
/// The life of a session: ``createUploadSession(_:audit:)`` before any URL is signed; ``transitionUploadSession(id:from:to:rejectionCode:audit:)``
/// to `verifying` when the client completes it, then ``acceptUploadSession(id:document:audit:)`` (the document row,
/// its audit rows and the `accepted` state in one transaction) or a transition to `rejected`; `aborted` by its user;
/// `expired` by the sweep (``expiredUploadSessions(pendingBefore:verifyingBefore:limit:)``) once its staged bytes are
/// removed. Every write runs in one transaction with its audit row.
package protocol UploadSessions: Sendable {
    /// Stores a new session and its audit row in one transaction. Throws ``PersistenceError/keyConflict`` if the
    /// id or a key exists.
    func createUploadSession(_ session: UploadSessionRecord, audit: AuditEntry) async throws(PersistenceError)

    /// The session with this id, in any state, or nil.
    func uploadSession(id: UUID) async throws(PersistenceError) -> UploadSessionRecord?

    /// Moves the session to `state` if it is in one of `from` (recording `rejectionCode`), and writes `audit` if
    /// given, in one transaction; returns the updated session, or nil (nothing written) when it was in none of them.
    func transitionUploadSession(
        id: UUID,
        from: Set<UploadSessionState>,
        to state: UploadSessionState,
        rejectionCode: String?,
        audit: AuditEntry?
    ) async throws(PersistenceError) -> UploadSessionRecord?

    /// Accepts a `verifying` session: marks it `accepted`, settles the upload intent of `document`'s key, and inserts
    /// the document and its audit rows, in one transaction. Throws ``PersistenceError/uploadAbandoned``, with nothing
    /// written, when the session is no longer `verifying` or the intent is missing or claimed by the sweep.
    func acceptUploadSession(id: UUID, document: DocumentRecord, audit: [AuditEntry]) async throws(PersistenceError)

    /// Open sessions past their expiry, oldest first, up to `limit`: `pending` ones that expired before
    /// `pendingBefore`, `verifying` ones before `verifyingBefore` (earlier, so that a completion in flight is left alone).
    func expiredUploadSessions(pendingBefore: Date, verifyingBefore: Date, limit: Int) async throws(PersistenceError) -> [UploadSessionRecord]
}
