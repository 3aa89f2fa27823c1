import Access
import Audit
import Documents
import Foundation
import Hummingbird
import Persistence

/// Password sign-in for browsers: checks the password with bcrypt, counts failures and locks the account for
/// ``AuthSettings/lockoutDuration`` after ``AuthSettings/lockoutThreshold`` in a row, and opens a session.
/// Every attempt writes an `auth.sign_in` audit row (and `auth.lockout` when one locks the account).
///
/// The lockout is decided by the database, not from a copy of the account read earlier: an attempt is
/// admitted and counted before its password is checked (``UserDirectory/admitSignIn(email:at:maxAttempts:lockDuration:)``),
/// and a right password is re-checked against the account afterwards, so simultaneous attempts get no more
/// password checks than the limit, and a right password checked while another attempt locked the account is
/// refused.
///
/// Before any of that, the attempt takes a token from its client address's and its account's buckets
/// (``SignInThrottle``) and waits for a bcrypt slot (``BcryptSlots``); either can refuse it as throttled (429).
///
/// Whatever went wrong (unknown e-mail, wrong password, disabled or locked account), the caller learns only
/// that sign-in failed, after the same bcrypt work, so the answer does not reveal which accounts exist.
struct SignIn: Sendable {
    let database: any AppDatabase
    let hasher: PasswordHasher
    let throttle: SignInThrottle
    /// Names unknown identifiers in the audit trail by keyed hash, never as typed (it may be a password).
    let identifiers: IdentifierHasher
    let settings: AuthSettings
    let audit: AuditTrail
    let now: @Sendable () -> Date

    /// A new session: the cookie value (only its hash is stored) and the session's CSRF token.
    struct OpenedSession {
        let token: String
        let session: SessionRecord
    }

    /// How a sign-in ended.
    enum Outcome {
        /// Signed in.
        case opened(OpenedSession)
        /// Failed; see the type's documentation for why all failures look alike.
        case failed
        /// Refused before any password check: too many attempts from this address or for this account, or
        /// too many waiting for a check. May be repeated after `retryAfter` seconds.
        case throttled(retryAfter: Int)
    }

    /// Signs in with `email` and `password`.
    func signIn(email: String, password: String, request: Request, context: AppRequestContext) async throws -> Outcome {
        if let retryAfter = try await throttle.admit(email: email, clientAddress: context.clientAddress, at: now()) {
            try await recordThrottling("too many sign-in attempts from this address or for this account", request: request, context: context)
            return .throttled(retryAfter: retryAfter)
        }
        guard let permit = await hasher.reserve(for: context.clientAddress) else {
            try await recordThrottling("too many sign-ins from this address waiting for a password check", request: request, context: context)
            return .throttled(retryAfter: 1)
        }
        let admission = try await database.admitSignIn(
            email: email,
            at: now(),
            maxAttempts: AuthSettings.lockoutThreshold,
            lockDuration: settings.lockoutDuration
        )
        let refusal: String
        var subject = AuditSubject()
        switch admission {
        case .unknownAccount:
            refusal = "unknown account \(identifiers.hash(email))"
        case .disabled(let user):
            refusal = "account disabled"
            subject.name(user)
        case .locked(let user):
            refusal = "account locked"
            subject.name(user)
        case .admitted(let user, let attempt):
            subject.name(user)
            return try await check(password, of: user, attempt: attempt, permit: permit, subject: subject, request: request, context: context)
        }
        // The same bcrypt work as a real check, so that the time taken does not tell refusals apart.
        _ = await hasher.verify(password, against: nil, holding: permit)
        try await recordDenial(refusal, subject: subject, request: request, context: context)
        return .failed
    }

    /// Checks an admitted attempt's password and settles it: a failure (and the lockout, if this attempt set
    /// it) is recorded; a success opens a session unless the account was locked or disabled meanwhile.
    private func check(
        _ password: String,
        of user: UserRecord,
        attempt: SignInAttempt,
        permit: consuming BcryptSlots.Permit,
        subject: AuditSubject,
        request: Request,
        context: AppRequestContext
    ) async throws -> Outcome {
        guard await hasher.verify(password, against: user.passwordHash, holding: permit) else {
            var denial = subject
            denial.detail = "wrong password"
            denial.errorCode = "sign_in_failed"
            var lockout = subject
            lockout.detail = "locked for \(Int(settings.lockoutDuration)) s after \(AuthSettings.lockoutThreshold) failed sign-ins"
            try await database.recordFailedSignIn(
                attempt,
                audit: audit.entry(.authSignIn, outcome: .denied, httpStatus: 401, subject: denial, request: request, context: context),
                lockoutAudit: audit.entry(.authLockout, outcome: .success, httpStatus: 401, subject: lockout, request: request, context: context)
            )
            return .failed
        }
        let instant = now()
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
        switch try await database.recordSuccessfulSignIn(attempt, of: user.id, at: instant, session: session, audit: success) {
        case .opened:
            return .opened(OpenedSession(token: token, session: session))
        case .lockedMeanwhile:
            try await recordDenial("account locked", subject: subject, request: request, context: context)
        case .disabledMeanwhile:
            try await recordDenial("account disabled", subject: subject, request: request, context: context)
        }
        return .failed
    }

    private func recordDenial(_ detail: String, subject: AuditSubject, request: Request, context: AppRequestContext) async throws {
        var subject = subject
        subject.detail = detail
        subject.errorCode = "sign_in_failed"
        let entry = audit.entry(.authSignIn, outcome: .denied, httpStatus: 401, subject: subject, request: request, context: context)
        try await database.appendAudit(entry)
    }

    /// The row of a throttled attempt: no account is looked up, so none is named.
    private func recordThrottling(_ detail: String, request: Request, context: AppRequestContext) async throws {
        var subject = AuditSubject()
        subject.detail = detail
        subject.errorCode = "too_many_requests"
        let entry = audit.entry(.authSignIn, outcome: .denied, httpStatus: 429, subject: subject, request: request, context: context)
        try await database.appendAudit(entry)
    }
}

extension AuditSubject {
    /// Names the account a sign-in tried as the row's actor (the caller is not signed in yet).
    fileprivate mutating func name(_ user: UserRecord) {
        actorID = user.id.lowercaseText
        actorRole = user.role.rawValue
    }
}
