import Documents
import Foundation
import Hummingbird
import ObjectStorage
import Persistence
import SelfCheck

/// The HTML pages a person signs in to: sign-in and sign-out, home, the storage and documents pages, and the
/// storage self-check (`/test/s3`).
struct PageRoutes: Sendable {
    let pages: PageRenderer
    let database: any AppDatabase
    let storage: StorageAccess
    let audit: AuditTrail
    let hasher: PasswordHasher
    let identifiers: IdentifierHasher
    let selfCheck: SelfCheck
    let settings: AuthSettings
    /// Whether clients reach medvault over TLS: the session cookie is then `Secure`.
    let secureCookies: Bool
    /// The configured upload size limits, shown under the upload widget.
    let limits: SizeLimits
    let now: @Sendable () -> Date

    /// Registers every page route on `router`.
    func addRoutes(to router: Router<AppRequestContext>) {
        let signIn = SignIn(
            database: database,
            hasher: hasher,
            throttle: SignInThrottle(database: database, identifiers: identifiers, settings: settings.throttle),
            identifiers: identifiers,
            settings: settings,
            audit: audit,
            now: now
        )
        LoginController(pages: pages, signIn: signIn, database: database, audit: audit, secureCookies: secureCookies).addRoutes(to: router)
        HomeController(pages: pages, idleTimeout: settings.sessionIdleTimeout).addRoutes(to: router)
        StoragePageController(pages: pages, database: database, storage: storage, audit: audit, limits: limits).addRoutes(to: router)
        DocumentsPageController(pages: pages, database: database, storage: storage, audit: audit, limits: limits).addRoutes(to: router)
        SelfCheckController(pages: pages, selfCheck: selfCheck, audit: audit).addRoutes(to: router)
    }
}
