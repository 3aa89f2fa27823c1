import Foundation
import Hummingbird

/// The middleware every request passes, in order: errors become the API's envelope, the path is normalised
/// before anything decides on it, the request is counted, static assets are served, and the caller is identified.
enum RequestMiddleware {
    /// Adds the chain to `router`; it must come before any route.
    static func add(to router: Router<AppRequestContext>, assetsDirectory: URL, authenticator: Authenticator) {
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: CanonicalPathMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: FileMiddleware(assetsDirectory.path, urlBasePath: "/assets"))
        router.add(middleware: AuthenticationMiddleware(authenticator: authenticator))
    }
}
