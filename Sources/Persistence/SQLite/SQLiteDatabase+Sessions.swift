import Audit
import Foundation
import GRDB

extension SQLiteDatabase {
    /// Stores a new session, and `audit` if given, in one transaction. Password sign-in stores its session
    /// through ``recordSuccessfulSignIn(_:of:at:session:audit:)`` instead.
    ///
    /// Throws ``PersistenceError/keyConflict`` if the token hash exists (a random token never repeats, so that
    /// is a bug), ``PersistenceError/constraintViolation`` if the user does not exist.
    package func createSession(_ session: SessionRecord, audit: AuditEntry?) async throws(PersistenceError) {
        try await write { db in
            try session.insert(db)
            try appendAuditIfAny(audit, in: db)
        }
    }

    /// The session with this token hash and its user, read together in one query (every browser request does
    /// this), or nil. Expiry and the user's `disabled` flag are for the caller to judge.
    package func session(tokenHash: String) async throws(PersistenceError) -> (session: SessionRecord, user: UserRecord)? {
        try await read { db in
            try SessionWithUser.fetchOne(db, SessionRecord.filter(key: tokenHash).including(required: SessionRecord.user))
        }.map { ($0.session, $0.user) }
    }

    /// Records activity on a session (the idle timeout counts from it); not audited, it happens on every
    /// request and the request's own row says enough. Returns whether the session exists.
    @discardableResult
    package func touchSession(tokenHash: String, at date: Date) async throws(PersistenceError) -> Bool {
        try await write { db in
            try SessionRecord.filter(key: tokenHash).updateAll(db, SessionRecord.Columns.lastSeenAt.set(to: date.millisecondsSince1970)) > 0
        }
    }

    /// Ends a session, and writes `audit` if given (sign-out, idle logoff), in one transaction; returns whether
    /// the session existed.
    @discardableResult
    package func deleteSession(tokenHash: String, audit: AuditEntry?) async throws(PersistenceError) -> Bool {
        try await write { db in
            let deleted = try SessionRecord.deleteOne(db, key: tokenHash)
            try appendAuditIfAny(audit, in: db)
            return deleted
        }
    }

    /// Removes sessions whose absolute end is before `date`, for periodic housekeeping; returns how many.
    /// Not audited: these sessions could no longer be used, so nothing happens to anyone. Idle sessions are the
    /// caller's to end (with ``deleteSession(tokenHash:audit:)``).
    @discardableResult
    package func deleteSessions(expiredBefore date: Date) async throws(PersistenceError) -> Int {
        try await write { db in
            try SessionRecord.filter(SessionRecord.Columns.expiresAt < date.millisecondsSince1970).deleteAll(db)
        }
    }

    /// Appends `entry` if there is one; for operations whose audit row is optional.
    private func appendAuditIfAny(_ entry: AuditEntry?, in db: Database) throws {
        guard let entry else { return }
        _ = try appendAudit(entry, in: db)
    }
}

/// A session and its user, decoded from one joined row.
private struct SessionWithUser: Decodable, FetchableRecord {
    var session: SessionRecord
    var user: UserRecord
}
