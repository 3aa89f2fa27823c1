import Access
import Audit
import Documents
import Foundation
import Hummingbird
import Persistence

/// Password sign-in for browsers: checks the password with bcrypt, counts failures and locks the
/// account for ``AuthSettings/lockoutDuration`` after ``AuthSettings/lockoutThreshold`` in a row, and opens a
/// session. Every attempt writes an `auth.sign_in` audit row (and `auth.lockout` when one locks the account).
///
/// Whatever went wrong (unknown e-mail, wrong password, disabled or locked account), the caller learns only
/// that sign-in failed, after the same bcrypt work, so the answer does not reveal which accounts exist.
struct SignIn: Sendable {
    let database: AppDatabase
    let hasher: PasswordHasher
    let settings: AuthSettings
    let audit: AuditTrail
    let now: @Sendable () -> Date

    /// A new session: the cookie value (only its hash is stored) and the session's CSRF token.
    struct OpenedSession {
        let token: String
        let session: SessionRecord
    }

    /// Signs in with `email` and `password`; nil means failed (see the type's documentation for why all
    /// failures look alike).
    func signIn(email: String, password: String, request: Request, context: AppRequestContext) async throws -> OpenedSession? {
        let user = try await database.user(email: email)
        var subject = AuditSubject()
        subject.actorID = user?.id.lowercaseText
        subject.actorRole = user?.role.rawValue
        let passwordMatches = await hasher.verify(password, against: user?.passwordHash)
        let instant = now()
        guard let user else {
            subject.detail = "unknown account \(UserRecord.normalizedEmail(email).prefix(254))"
            try await recordDenial(subject, request: request, context: context)
            return nil
        }
        if user.disabled || (user.lockedUntil.map { $0 > instant } ?? false) {
            subject.detail = user.disabled ? "account disabled" : "account locked"
            try await recordDenial(subject, request: request, context: context)
            return nil
        }
        guard passwordMatches else {
            subject.detail = "wrong password"
            subject.errorCode = "sign_in_failed"
            let denial = audit.entry(.authSignIn, outcome: .denied, httpStatus: 401, subject: subject, request: request, context: context)
            var lockout = subject
            lockout.detail = "locked for \(Int(settings.lockoutDuration)) s after \(AuthSettings.lockoutThreshold) failed sign-ins"
            let lockoutEntry = audit.entry(.authLockout, outcome: .success, httpStatus: 401, subject: lockout, request: request, context: context)
            _ = try await database.recordFailedSignIn(
                userID: user.id,
                at: instant,
                maxAttempts: AuthSettings.lockoutThreshold,
                lockDuration: settings.lockoutDuration,
                audit: denial,
                lockoutAudit: lockoutEntry
            )
            return nil
        }
        let token = SessionCookie.newToken()
        let session = SessionRecord(
            tokenHash: SessionCookie.hash(token),
            userID: user.id,
            csrfToken: SessionCookie.newToken(),
            createdAt: instant,
            lastSeenAt: instant,
            expiresAt: instant.addingTimeInterval(settings.sessionMaxAge)
        )
        let success = audit.entry(.authSignIn, outcome: .success, httpStatus: 303, subject: subject, request: request, context: context)
        try await database.recordSuccessfulSignIn(userID: user.id, audit: success)
        try await database.createSession(session, audit: nil)
        return OpenedSession(token: token, session: session)
    }

    private func recordDenial(_ subject: AuditSubject, request: Request, context: AppRequestContext) async throws {
        var subject = subject
        subject.errorCode = "sign_in_failed"
        try await database.appendAudit(audit.entry(.authSignIn, outcome: .denied, httpStatus: 401, subject: subject, request: request, context: context))
    }
}
