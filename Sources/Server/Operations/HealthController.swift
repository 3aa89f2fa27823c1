import Hummingbird

/// `GET /healthz`: the process is up and serving. Load balancers and the test suite poll it.
struct HealthController: Sendable {
    struct Health: Encodable, Sendable {
        let status: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("healthz") { _, _ in JSONResponse(Health(status: "ok")) }
    }
}
