import Foundation

/// How users authenticate: the bearer-token keys, session lifetimes, lockout and password hashing, and the
/// first administrator. Read from the environment by ``AppConfiguration/load(from:)``.
package struct AuthSettings: Sendable {
    /// `MEDVAULT_JWT_SECRET`: the HS256 key (at least 32 bytes); without it, a generated `<data>/jwt.key` is used.
    package var jwtSecret: SecretValue?
    /// `MEDVAULT_JWKS_FILE` or `MEDVAULT_JWKS_URL`, with `MEDVAULT_JWT_ISSUER` and `MEDVAULT_JWT_AUDIENCE`: an identity
    /// provider whose RS256 / ES256 tokens are accepted.
    package var identityProvider: IdentityProviderSettings?
    /// `MEDVAULT_SESSION_IDLE_TIMEOUT` (seconds, default 900): automatic logoff after this long without a request.
    package var sessionIdleTimeout: TimeInterval
    /// `MEDVAULT_SESSION_MAX_AGE` (seconds, default 43200): a session ends this long after sign-in regardless.
    package var sessionMaxAge: TimeInterval
    /// `MEDVAULT_LOCKOUT_DURATION` (seconds, default 900): how long an account stays locked after
    /// ``lockoutThreshold`` failed sign-ins in a row.
    package var lockoutDuration: TimeInterval
    /// `MEDVAULT_BCRYPT_COST` (4–31, default 12): bcrypt's work factor for new password hashes.
    package var bcryptCost: Int
    /// `MEDVAULT_ADMIN_EMAIL` / `MEDVAULT_ADMIN_PASSWORD`: the administrator created on a fresh install.
    package var adminEmail: String?
    package var adminPassword: SecretValue?
    /// `MEDVAULT_IDENTIFIER_KEY` (base64 of 32 bytes): the key of ``IdentifierHasher``; without it, a generated
    /// `<data>/identifier.key` is used.
    package var identifierKey: SecretValue?
    /// Token buckets per client address and per account, and how much bcrypt runs at once.
    package var throttle: SignInThrottleSettings

    /// Failed sign-ins in a row that lock an account (five).
    package static let lockoutThreshold = 5
    /// The default administrator e-mail when `MEDVAULT_ADMIN_EMAIL` is not set.
    package static let defaultAdminEmail = "admin@medvault.local"

    package init(
        jwtSecret: SecretValue? = nil,
        identityProvider: IdentityProviderSettings? = nil,
        sessionIdleTimeout: TimeInterval = 900,
        sessionMaxAge: TimeInterval = 43_200,
        lockoutDuration: TimeInterval = 900,
        bcryptCost: Int = 12,
        adminEmail: String? = nil,
        adminPassword: SecretValue? = nil,
        identifierKey: SecretValue? = nil,
        throttle: SignInThrottleSettings = SignInThrottleSettings()
    ) {
        self.jwtSecret = jwtSecret
        self.identityProvider = identityProvider
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionMaxAge = sessionMaxAge
        self.lockoutDuration = lockoutDuration
        self.bcryptCost = bcryptCost
        self.adminEmail = adminEmail
        self.adminPassword = adminPassword
        self.identifierKey = identifierKey
        self.throttle = throttle
    }
}
