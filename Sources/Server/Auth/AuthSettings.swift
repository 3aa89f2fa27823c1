import Foundation

/// How users authenticate: the bearer-token keys, session lifetimes, lockout and password hashing, and the
/// first administrator. Read from the environment by ``AppConfiguration/load(from:)``.
package struct AuthSettings: Sendable {
    /// `MEDVAULT_JWT_SECRET`: the HS256 key (at least 32 bytes); without it, a generated `<data>/jwt.key` is used.
    package var jwtSecret: SecretValue?
    /// `MEDVAULT_JWKS_FILE`: public keys (RS256 / ES256) of an identity provider whose tokens are accepted.
    package var jwksFile: URL?
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

    /// Failed sign-ins in a row that lock an account (five).
    package static let lockoutThreshold = 5
    /// The default administrator e-mail when `MEDVAULT_ADMIN_EMAIL` is not set.
    package static let defaultAdminEmail = "admin@medvault.local"

    package init(
        jwtSecret: SecretValue? = nil,
        jwksFile: URL? = nil,
        sessionIdleTimeout: TimeInterval = 900,
        sessionMaxAge: TimeInterval = 43_200,
        lockoutDuration: TimeInterval = 900,
        bcryptCost: Int = 12,
        adminEmail: String? = nil,
        adminPassword: SecretValue? = nil
    ) {
        self.jwtSecret = jwtSecret
        self.jwksFile = jwksFile
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionMaxAge = sessionMaxAge
        self.lockoutDuration = lockoutDuration
        self.bcryptCost = bcryptCost
        self.adminEmail = adminEmail
        self.adminPassword = adminPassword
    }
}
