import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import Server

/// `medvault serve`: applies pending migrations and serves the API until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the HTTP server.")

    @Option(help: "Address to listen on (default: $HOST, else 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default: $PORT, else 8080).")
    var port: Int?

    @OptionGroup var data: DataDirectoryOption

    func run() async throws {
        MallocSettings.keepTransferBuffers()
        var configuration = try data.loadConfiguration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        LoggingSystem.bootstrap(StreamLogHandler.standardOutput)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger.command("medvault", defaultLevel: .info)
        let app = try await buildApplication(configuration: configuration, logger: logger, metrics: registry)
        try await app.runService()
    }
}
