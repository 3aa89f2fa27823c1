import ContentValidation
import Documents
import Foundation
import Hummingbird
import Logging
import ObjectStorage
import Persistence
import Prometheus
import SelfCheck
import ServiceLifecycle

/// The composition root: the only place that picks concrete types (which store, which database file).
/// `medvault serve` and the tests both call it. `metrics` is the registry that `/metrics` exposes; the caller
/// bootstraps swift-metrics with it (once per process).
///
/// It creates the data directory (0700; one that others can reach is refused), opens the database with the audit key
/// and applies pending migrations, creates the first administrator on a fresh install (`announce` prints a generated
/// password, once), loads libmagic, the templates and the token keys, opens the store, and proves that clamd (when
/// configured) scans the largest upload whole, so a misconfiguration stops start-up instead of failing the first
/// request. The periodic jobs (session purge, abandoned-upload sweep, lifecycle rules) run as services beside the server, each under
/// its lease so that nodes sharing a database take turns. Each group of routes registers its own
/// (``OperationsRoutes``, ``PageRoutes``, ``APIRoutes``).
package func buildApplication(
    configuration: AppConfiguration,
    logger: Logger,
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    now: @escaping @Sendable () -> Date = Date.init,
    announce: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
) async throws -> some ApplicationProtocol {
    let database = try await configuration.openDatabase(logger: logger)
    logger.info("database: \(configuration.database.engine)")
    let sniffer = try MagicSniffer()
    let antivirus = try await Antivirus.start(configuration: configuration, logger: logger)
    let composition = try StorageComposition(configuration: configuration, now: now)
    let storage = composition.access
    if case .local = configuration.backend, !configuration.bucketRoutes.buckets.isEmpty {
        logger.notice("MEDVAULT_BUCKET_ROUTES is ignored: the local store keeps every category under the data directory")
    }
    var services: [any Service] = composition.shutdown.map { [ShutdownService(shutdown: $0)] } ?? []
    services.append(ShutdownService { await database.close() })
    let sessionPurge = SessionPurge(database: database, now: now, logger: logger)
    services.append(
        PeriodicJobRunner(job: .sessionPurge, interval: SessionPurge.interval, leases: database, logger: logger) { await sessionPurge.purge() }
    )
    if case .ready(let store) = storage {
        // Direct upload sessions expire on the same timer as the intents of API uploads.
        let sweep = AbandonedUploadSweep(configuration: configuration, database: database, store: store, now: now, logger: logger)
        services.append(
            PeriodicJobRunner(job: .uploadIntentSweep, interval: sweep.interval, leases: database, logger: logger) { _ = await sweep.run() }
        )
        let rules = configuration.lifecycle
        let lifecycle = LifecycleRun(rules: rules, database: database, store: store, actorID: "system:lifecycle", logger: logger)
        services.append(
            PeriodicJobRunner(job: .lifecycle, interval: rules.interval, leases: database, logger: logger) { await lifecycle.round(at: now()) }
        )
        if let worker = VideoJobWorker(configuration: configuration, database: database, store: store, now: now, logger: logger) {
            services.append(worker)
        }
    }
    let audit = AuditTrail(database: database, now: now)
    let auth = configuration.auth
    let hasher = PasswordHasher(cost: auth.bcryptCost, concurrency: auth.throttle.bcryptConcurrency, queueLimit: auth.throttle.queueLimit)
    try await AdminBootstrap.ensureAdministrator(database: database, settings: auth, hasher: hasher, now: now(), announce: announce)
    let identifiers = try IdentifierHasher.load(configured: auth.identifierKey, dataDirectory: configuration.dataDirectory)
    let tokens = try await BearerTokens.load(settings: auth, dataDirectory: configuration.dataDirectory, now: now, logger: logger)
    tokens.prepare()
    let pages = try await PageRenderer(
        templatesDirectory: configuration.templatesDirectory,
        tls: configuration.servedOverTLS,
        backend: storage.badge,
        uploadOrigin: composition.directUploadOrigin(date: now())
    )

    let router = Router(context: AppRequestContext.self)
    RequestMiddleware.add(
        to: router,
        assetsDirectory: configuration.publicDirectory.appendingPathComponent("assets"),
        authenticator: Authenticator(database: database, tokens: tokens, settings: auth, now: now)
    )
    try OperationsRoutes(database: database, storage: storage, metrics: metrics, publicDirectory: configuration.publicDirectory)
        .addRoutes(to: router)
    PageRoutes(
        pages: pages,
        database: database,
        storage: storage,
        audit: audit,
        hasher: hasher,
        identifiers: identifiers,
        // The self-check signs with the real clock (its default): S3 judges a URL's expiry by its own clock.
        selfCheck: SelfCheck(
            configuration: configuration,
            storage: storage,
            presignedURLs: composition.presignedURLs,
            cloudFront: composition.cloudFront,
            antivirus: antivirus,
            environment: ProcessInfo.processInfo.environment
        ),
        settings: auth,
        secureCookies: configuration.servedOverTLS,
        limits: configuration.enforcedSizeLimits,
        now: now
    ).addRoutes(to: router)
    APIRoutes(
        database: database,
        storage: storage,
        presignedURLs: composition.presignedURLs,
        cloudFront: composition.cloudFront,
        audit: audit,
        sniffer: sniffer,
        antivirus: antivirus,
        hasher: hasher,
        configuration: configuration,
        previews: DocumentPreviews.start(enabled: configuration.previews, limits: configuration.enforcedSizeLimits, logger: logger),
        now: now
    ).addRoutes(to: router)
    // After the last route: every routed path answers other methods with 405 and `Allow`.
    MethodNotAllowed.addResponders(to: router)

    return Application(
        router: router,
        server: .http1(limits: configuration.connections, counter: ConnectionCounter(limit: configuration.connections.maxConnections)),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
        services: services,
        onServerRunning: { channel in
            let address = channel.localAddress.map { "\($0.ipAddress ?? configuration.host):\($0.port ?? configuration.port)" } ?? ""
            logger.info("medvault listening on http://\(address), storage backend: \(storage.logDescription)")
        },
        logger: logger
    )
}
