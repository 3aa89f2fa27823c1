import Foundation
import Hummingbird
import ObjectStorage
import Persistence
import Prometheus

/// The routes an operator or a load balancer uses, none of them behind a sign-in: `/health`, `/readyz`,
/// `/metrics`, the OpenAPI document and the favicon.
struct OperationsRoutes: Sendable {
    let database: any DatabaseHealth
    let storage: StorageAccess
    let metrics: PrometheusCollectorRegistry
    /// `MEDVAULT_PUBLIC_DIR`, where the OpenAPI document and the favicon are read from (once, here).
    let publicDirectory: URL

    /// Registers every operations route on `router`.
    /// - Throws: when the OpenAPI document or the favicon cannot be read.
    func addRoutes(to router: Router<AppRequestContext>) throws {
        HealthController().addRoutes(to: router.group())
        ReadinessController(database: database, storage: storage).addRoutes(to: router.group())
        MetricsController(registry: metrics).addRoutes(to: router.group())
        try PublicFileController.openAPI(publicDirectory: publicDirectory).addRoutes(to: router.group())
        try PublicFileController.favicon(publicDirectory: publicDirectory).addRoutes(to: router.group())
    }
}
