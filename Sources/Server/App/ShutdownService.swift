import ServiceLifecycle

/// Runs a clean-up when the application shuts down gracefully (SIGTERM/SIGINT), such as closing the S3
/// store's HTTP client: long-lived clients live as services (STYLE.md), not as globals.
struct ShutdownService: Service {
    let shutdown: @Sendable () async throws -> Void

    func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }
}
