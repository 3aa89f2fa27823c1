import Audit
import Foundation

/// Signed-in browsers, known by the SHA-256 of their cookie value; a session made through one node works on
/// every node on the same database.
package protocol SessionStore: Sendable {
    /// Stores a new session, and `audit` if given, in one transaction.
    ///
    /// Throws ``PersistenceError/keyConflict`` if the token hash exists (a random token never repeats, so that is
    /// a bug), ``PersistenceError/constraintViolation`` if the user does not exist.
    func createSession(_ session: SessionRecord, audit: AuditEntry?) async throws(PersistenceError)

    /// The session with this token hash and its user, read together (every browser request does this), or nil.
    /// Expiry and the user's `disabled` flag are for the caller to judge.
    func session(tokenHash: String) async throws(PersistenceError) -> (session: SessionRecord, user: UserRecord)?

    /// Records activity on a session (the idle timeout counts from it); not audited. Returns whether the session
    /// exists.
    @discardableResult
    func touchSession(tokenHash: String, at date: Date) async throws(PersistenceError) -> Bool

    /// Ends a session, and writes `audit` if given (sign-out, idle logoff), in one transaction; returns whether
    /// the session existed.
    @discardableResult
    func deleteSession(tokenHash: String, audit: AuditEntry?) async throws(PersistenceError) -> Bool

    /// Removes sessions whose absolute end is before `date`, for housekeeping; returns how many. Not audited:
    /// these sessions could no longer be used.
    @discardableResult
    func deleteSessions(expiredBefore date: Date) async throws(PersistenceError) -> Int
}
