import Audit
import ContentValidation
import Crypto
import Foundation
import Hummingbird
import Logging
import ObjectStorage
import Persistence
import Prometheus
import ServiceLifecycle
import SigV4

/// The composition root: the only place that picks concrete types (which store, which database file).
/// `medvault serve` and the tests both call it. `metrics` is the registry that `/metrics` exposes; the caller
/// bootstraps swift-metrics with it (once per process).
///
/// It creates the data directory (0700; one that others can reach is refused), opens SQLite with the audit key and
/// applies pending migrations, creates the first administrator on a fresh install (`announce` prints a generated
/// password, once), loads libmagic, the templates and the token keys, opens the store, and proves that clamd (when
/// configured) scans the largest upload whole, so a misconfiguration stops start-up instead of failing the first
/// request. The abandoned-upload sweep runs as a service beside the server.
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
    let (storage, presignedURLs) = (composition.access, composition.presignedURLs)
    var services: [any Service] = composition.shutdown.map { [ShutdownService(shutdown: $0)] } ?? []
    services.append(ShutdownService { await database.close() })
    if case .ready(let store) = storage {
        services.append(
            UploadIntentSweeper(database: database, store: store, grace: configuration.uploadIntentGrace, now: now, logger: logger)
        )
    }
    let audit = AuditTrail(database: database, now: now)
    let auth = configuration.auth
    let hasher = PasswordHasher(cost: auth.bcryptCost, concurrency: auth.throttle.bcryptConcurrency, queueLimit: auth.throttle.queueLimit)
    try await AdminBootstrap.ensureAdministrator(database: database, settings: auth, hasher: hasher, now: now(), announce: announce)
    try await database.deleteSessions(expiredBefore: now())
    let identifiers = try IdentifierHasher.load(configured: auth.identifierKey, dataDirectory: configuration.dataDirectory)
    let tokens = try await BearerTokens.load(settings: auth, dataDirectory: configuration.dataDirectory, now: now, logger: logger)
    tokens.prepare()
    let pages = try await PageRenderer(
        templatesDirectory: configuration.templatesDirectory,
        tls: configuration.servedOverTLS,
        backend: backendBadge(storage)
    )

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: APIErrorMiddleware())
    router.add(middleware: CanonicalPathMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: FileMiddleware(configuration.publicDirectory.appendingPathComponent("assets").path, urlBasePath: "/assets"))
    router.add(middleware: AuthenticationMiddleware(authenticator: Authenticator(database: database, tokens: tokens, settings: auth, now: now)))
    HealthController().addRoutes(to: router.group())
    ReadinessController(database: database, storage: storage).addRoutes(to: router.group())
    LoginController(
        pages: pages,
        signIn: SignIn(
            database: database,
            hasher: hasher,
            throttle: SignInThrottle(database: database, identifiers: identifiers, settings: auth.throttle),
            identifiers: identifiers,
            settings: auth,
            audit: audit,
            now: now
        ),
        database: database,
        audit: audit,
        secureCookies: configuration.servedOverTLS
    ).addRoutes(to: router)
    HomeController(pages: pages, idleTimeout: auth.sessionIdleTimeout).addRoutes(to: router)
    StoragePageController(pages: pages, database: database, storage: storage, audit: audit).addRoutes(to: router)
    DocumentsPageController(pages: pages, database: database, storage: storage, audit: audit).addRoutes(to: router)
    // The self-check signs with the real clock (its default): S3 judges a URL's expiry by its own clock.
    let selfCheck = SelfCheck(
        configuration: configuration,
        storage: storage,
        presignedURLs: presignedURLs,
        cloudFront: composition.cloudFront,
        antivirus: antivirus,
        environment: ProcessInfo.processInfo.environment
    )
    SelfCheckController(pages: pages, selfCheck: selfCheck, audit: audit).addRoutes(to: router)
    UsersController(database: database, audit: audit, hasher: hasher, now: now).addRoutes(to: router.group("api/v2/users"))
    CareTeamsController(database: database, audit: audit, now: now).addRoutes(to: router.group("api/v2/careteams"))
    AuditController(database: database, audit: audit, now: now).addRoutes(to: router.group("api/v2/audit"))
    MetricsController(registry: metrics).addRoutes(to: router.group())
    try OpenAPIController(publicDirectory: configuration.publicDirectory).addRoutes(to: router.group())
    try FaviconController(publicDirectory: configuration.publicDirectory).addRoutes(to: router.group())
    let api = router.group("api/v2/aws/s3")
    let documents = DocumentsController(
        database: database,
        storage: storage,
        audit: audit,
        sniffer: sniffer,
        antivirus: antivirus,
        presignedURLs: presignedURLs,
        cloudFront: composition.cloudFront,
        now: now,
        makeUUID: UUID.init
    )
    documents.addRoutes(to: api)
    documents.addDocumentRoutes(to: router.group("api/v2/documents"))
    if let local = presignedURLs as? LocalPresignedURLs {
        PresignedObjectController(database: database, storage: storage, audit: audit, urls: local, now: now).addRoutes(to: api)
    }
    let probe: EncryptionProbe? =
        if case .ready(let store) = storage {
            EncryptionProbe(store: store, expected: StorageComposition.expectedEncryption(configuration), now: now)
        } else {
            nil
        }
    StorageController(
        database: database,
        storage: storage,
        audit: audit,
        configuration: configuration,
        encryptionProbe: probe,
        antivirus: antivirus
    ).addRoutes(to: api)
    // After the last route: every routed path answers other methods with 405 and `Allow`.
    MethodNotAllowed.addResponders(to: router)

    let backendDescription: String
    switch storage {
    case .ready(let store): backendDescription = "\(store.summary.backend) (\(store.summary.location))"
    case .disabled: backendDescription = "disabled by ENABLE_AWS_S3_STORAGE"
    case .notConfigured: backendDescription = "not configured (production requires S3)"
    }
    return Application(
        router: router,
        server: .http1(limits: configuration.connections, counter: ConnectionCounter(limit: configuration.connections.maxConnections)),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
        services: services,
        onServerRunning: { channel in
            let address = channel.localAddress.map { "\($0.ipAddress ?? configuration.host):\($0.port ?? configuration.port)" } ?? ""
            logger.info("medvault listening on http://\(address), storage backend: \(backendDescription)")
        },
        logger: logger
    )
}

/// The backend as the pages' header badge shows it: "local store", or "S3 · host" with the endpoint's host.
private func backendBadge(_ storage: StorageAccess) -> String {
    switch storage {
    case .ready(let store): store.summary.backend == "local" ? "local store" : "S3 · \(store.summary.location)"
    case .disabled: "storage disabled"
    case .notConfigured: "storage not configured"
    }
}
