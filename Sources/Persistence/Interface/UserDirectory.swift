import Audit
import Foundation

/// The people and services who sign in: their accounts, roles and the state of their password sign-in
/// (failures, lockout, disabled).
///
/// Shared by every node on the same database: a failure counted on one node counts on all, and a user disabled
/// through one node is refused by the others on their next request (they look the user up on every request).
package protocol UserDirectory: Sendable {
    /// Creates a user and writes its audit row, in one transaction; returns the row as stored.
    ///
    /// The email is normalised (``UserRecord/normalizedEmail(_:)``) whatever the record holds, so no caller can
    /// create a second account for the same address. Throws ``PersistenceError/keyConflict`` if the email or id
    /// is taken, ``PersistenceError/constraintViolation`` if the row breaks the schema (a patient without a patient
    /// id, a provider without a provider id, another role with one).
    @discardableResult
    func insertUser(_ user: UserRecord, audit: AuditEntry) async throws(PersistenceError) -> UserRecord

    /// The user signing in with this email, compared case-insensitively (the input is normalised), or nil.
    func user(email: String) async throws(PersistenceError) -> UserRecord?

    /// The user with this id (a session's or a token's `sub`), or nil.
    func user(id: UUID) async throws(PersistenceError) -> UserRecord?

    /// Every user, disabled ones included, ordered by email, for `medvault user list` and the admin pages.
    func users() async throws(PersistenceError) -> [UserRecord]

    /// Whether at least one admin can sign in; when none can, start-up creates one (a fresh install).
    func hasEnabledAdmin() async throws(PersistenceError) -> Bool

    /// Disables the user with this email and ends all their sessions, with the audit row, in one transaction;
    /// returns the updated row. Throws ``PersistenceError/notFound`` if there is no such user.
    @discardableResult
    func disableUser(email: String, audit: AuditEntry) async throws(PersistenceError) -> UserRecord

    /// Decides, in one transaction, whether a sign-in with `email` may have its password checked, and counts it
    /// against the account if so: the attempt that brings the count to `maxAttempts` locks the account until
    /// `date + lockDuration`. Attempts are decided one at a time per account (on any node), so of any number of
    /// simultaneous attempts at most `maxAttempts` are admitted before the lock. Settle each admitted attempt with
    /// ``recordFailedSignIn(_:audit:lockoutAudit:)`` or ``recordSuccessfulSignIn(_:of:at:session:audit:)``.
    func admitSignIn(email: String, at date: Date, maxAttempts: Int, lockDuration: TimeInterval) async throws(PersistenceError) -> SignInAdmission

    /// Records that an admitted attempt's password was wrong: writes `audit` and, if this attempt locked the
    /// account, `lockoutAudit` after it, in one transaction.
    func recordFailedSignIn(_ attempt: SignInAttempt, audit: AuditEntry, lockoutAudit: AuditEntry) async throws(PersistenceError)

    /// Completes an admitted attempt whose password was right, re-checking the account first, in one transaction:
    /// if another attempt locked it (or it was disabled) meanwhile, nothing is written. Otherwise clears the failure
    /// count and the lock, stores `session` and writes `audit`. Throws ``PersistenceError/notFound`` if there is no
    /// such user.
    func recordSuccessfulSignIn(
        _ attempt: SignInAttempt,
        of userID: UUID,
        at date: Date,
        session: SessionRecord,
        audit: AuditEntry
    ) async throws(PersistenceError) -> SignInCompletion

    /// Replaces a user's password hash and writes `audit`, in one transaction. Sessions are kept (the caller may
    /// be the user, in one of them). Throws ``PersistenceError/notFound`` if there is no such user.
    func setPassword(userID: UUID, passwordHash: String, audit: AuditEntry) async throws(PersistenceError)
}
