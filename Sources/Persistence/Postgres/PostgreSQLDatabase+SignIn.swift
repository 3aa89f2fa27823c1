import Audit
import Documents
import Foundation
import PostgresNIO

extension PostgreSQLDatabase {
    /// Decides whether a sign-in may have its password checked, and counts it if so, in one transaction.
    ///
    /// The account's row is read `FOR UPDATE`, so attempts on every node are decided one after the other: the
    /// count cannot be read twice before it is written, and at most `maxAttempts` attempts are admitted before the
    /// one that locks.
    package func admitSignIn(
        email: String,
        at date: Date,
        maxAttempts: Int,
        lockDuration: TimeInterval
    ) async throws(PersistenceError) -> SignInAdmission {
        let email = UserRecord.normalizedEmail(email)
        guard !email.containsNUL else { return .unknownAccount }
        let logger = logger
        return try await write { connection in
            guard
                var user = try await Self.fetchUser(
                    "SELECT \(unescaped: UserRecord.postgresColumns()) FROM users WHERE email = \(email) FOR UPDATE",
                    on: connection,
                    logger: logger
                )
            else { return .unknownAccount }
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
            try await connection.query(
                """
                UPDATE users SET failed_attempts = \(user.failedAttempts), locked_until = \(user.lockedUntil?.millisecondsSince1970)
                WHERE id = \(user.id.lowercaseText)
                """,
                logger: logger
            )
            return .admitted(user, attempt)
        }
    }

    /// Writes the audit rows of an admitted attempt whose password was wrong (it was counted when admitted).
    package func recordFailedSignIn(_ attempt: SignInAttempt, audit: AuditEntry, lockoutAudit: AuditEntry) async throws(PersistenceError) {
        try await write { connection in
            _ = try await self.appendAudit(attempt.didLock ? [audit, lockoutAudit] : [audit], on: connection)
        }
    }

    /// Completes an admitted attempt whose password was right, re-checking the account under its row lock first.
    package func recordSuccessfulSignIn(
        _ attempt: SignInAttempt,
        of userID: UUID,
        at date: Date,
        session: SessionRecord,
        audit: AuditEntry
    ) async throws(PersistenceError) -> SignInCompletion {
        let logger = logger
        return try await write { connection in
            guard
                let user = try await Self.fetchUser(
                    "SELECT \(unescaped: UserRecord.postgresColumns()) FROM users WHERE id = \(userID.lowercaseText) FOR UPDATE",
                    on: connection,
                    logger: logger
                )
            else { throw PersistenceError.notFound }
            if user.disabled { return .disabledMeanwhile }
            if let lockedUntil = user.lockedUntil, lockedUntil > date, lockedUntil != attempt.lockedUntil { return .lockedMeanwhile }
            try await connection.query(
                "UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = \(userID.lowercaseText)",
                logger: logger
            )
            try await Self.insertSession(session, on: connection, logger: logger)
            _ = try await self.appendAudit([audit], on: connection)
            return .opened
        }
    }
}
