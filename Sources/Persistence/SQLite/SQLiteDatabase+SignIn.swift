import Audit
import Foundation
import GRDB

extension SQLiteDatabase {
    /// Decides, in one transaction, whether a sign-in with `email` may have its password checked, and counts
    /// it against the account if so.
    ///
    /// An admitted attempt is counted as a failure now, before the check, and the one that brings the count to
    /// `maxAttempts` locks the account until `at + lockDuration` (the count then starts again from 0). Since
    /// SQLite runs write transactions one at a time (on PostgreSQL, read the row `FOR UPDATE`), however many
    /// attempts arrive together, at most `maxAttempts` are admitted before the lock, and every later one sees
    /// it and is refused without a password check (uncounted, so guesses during a lock neither count nor
    /// extend it). Settle each admitted attempt with ``recordFailedSignIn(_:audit:lockoutAudit:)`` or
    /// ``recordSuccessfulSignIn(_:of:at:session:audit:)``.
    ///
    /// Failures count until a success resets them, however far apart.
    package func admitSignIn(
        email: String,
        at date: Date,
        maxAttempts: Int,
        lockDuration: TimeInterval
    ) async throws(PersistenceError) -> SignInAdmission {
        try await write { db in
            guard var user = try Self.fetchUser(email: email, in: db) else { return .unknownAccount }
            if user.disabled { return .disabled(user) }
            if let lockedUntil = user.lockedUntil, lockedUntil > date { return .locked(user) }
            var attempt = SignInAttempt(attemptNumber: user.failedAttempts + 1, lockedUntil: nil)
            if attempt.attemptNumber >= maxAttempts {
                attempt.lockedUntil = date.addingTimeInterval(lockDuration).roundedToMilliseconds
                user.lockedUntil = attempt.lockedUntil
                user.failedAttempts = 0
            } else {
                user.failedAttempts = attempt.attemptNumber
            }
            try user.update(db)
            return .admitted(user, attempt)
        }
    }

    /// Records that an admitted attempt's password was wrong: writes `audit` and, if this attempt locked the
    /// account, `lockoutAudit` after it, in one transaction. The attempt was counted when it was admitted.
    package func recordFailedSignIn(_ attempt: SignInAttempt, audit: AuditEntry, lockoutAudit: AuditEntry) async throws(PersistenceError) {
        try await write { db in
            _ = try appendAudit(audit, in: db)
            if attempt.didLock {
                _ = try appendAudit(lockoutAudit, in: db)
            }
        }
    }

    /// Completes an admitted attempt whose password was right, re-checking the account first, in one
    /// transaction: if another attempt locked it (or it was disabled) while the password was being checked,
    /// nothing is written and the caller refuses. Otherwise clears the failure count and the lock (only a lock
    /// this attempt set itself can be in place), stores `session` and writes `audit`.
    ///
    /// Throws ``PersistenceError/notFound`` if there is no such user.
    package func recordSuccessfulSignIn(
        _ attempt: SignInAttempt,
        of userID: UUID,
        at date: Date,
        session: SessionRecord,
        audit: AuditEntry
    ) async throws(PersistenceError) -> SignInCompletion {
        try await write { db in
            guard var user = try Self.fetchUser(id: userID, in: db) else { throw PersistenceError.notFound }
            if user.disabled { return .disabledMeanwhile }
            if let lockedUntil = user.lockedUntil, lockedUntil > date, lockedUntil != attempt.lockedUntil { return .lockedMeanwhile }
            user.failedAttempts = 0
            user.lockedUntil = nil
            try user.update(db)
            try session.insert(db)
            _ = try appendAudit(audit, in: db)
            return .opened
        }
    }
}
