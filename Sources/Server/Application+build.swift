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
/// It creates the data directory (0700), opens SQLite and applies pending migrations, loads libmagic and
/// opens the store, so a misconfiguration stops start-up instead of failing the first request.
package func buildApplication(
    configuration: AppConfiguration,
    logger: Logger,
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    now: @escaping @Sendable () -> Date = Date.init
) async throws -> some ApplicationProtocol {
    try FileManager.default.createDirectory(
        at: configuration.dataDirectory,
        withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700]
    )
    let database = try AppDatabase(path: configuration.databasePath, migrationsDirectory: configuration.migrationsDirectory)
    let sniffer = try MagicSniffer()
    let (storage, presignedURLs, services) = try makeStorageAccess(configuration: configuration, now: now)
    let audit = AuditTrail(database: database, now: now)

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: APIErrorMiddleware())
    router.add(middleware: MetricsMiddleware())
    HealthController().addRoutes(to: router.group())
    MetricsController(registry: metrics).addRoutes(to: router.group())
    try OpenAPIController(publicDirectory: configuration.publicDirectory).addRoutes(to: router.group())
    let api = router.group("api/v2/aws/s3")
    DocumentsController(
        database: database,
        storage: storage,
        audit: audit,
        sniffer: sniffer,
        presignedURLs: presignedURLs,
        now: now,
        makeUUID: UUID.init
    ).addRoutes(to: api)
    if let local = presignedURLs as? LocalPresignedURLs {
        PresignedObjectController(database: database, storage: storage, audit: audit, urls: local, now: now).addRoutes(to: api)
    }
    let probe: EncryptionProbe? =
        if case .ready(let store) = storage { EncryptionProbe(store: store, expected: expectedEncryption(configuration), now: now) } else { nil }
    StorageController(database: database, storage: storage, audit: audit, configuration: configuration, encryptionProbe: probe)
        .addRoutes(to: api)

    let backendDescription: String
    switch storage {
    case .ready(let store): backendDescription = "\(store.summary.backend) (\(store.summary.location))"
    case .disabled: backendDescription = "disabled by ENABLE_AWS_S3_STORAGE"
    case .notConfigured: backendDescription = "not configured (production requires S3)"
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
        services: services,
        onServerRunning: { channel in
            let address = channel.localAddress.map { "\($0.ipAddress ?? configuration.host):\($0.port ?? configuration.port)" } ?? ""
            logger.info("medvault listening on http://\(address), storage backend: \(backendDescription)")
        },
        logger: logger
    )
}

/// Opens the configured store and its pre-signed URL issuer; the feature flag and a production set-up
/// without S3 yield neither.
private func makeStorageAccess(
    configuration: AppConfiguration,
    now: @escaping @Sendable () -> Date
) throws -> (StorageAccess, (any PresignedURLIssuer)?, [any Service]) {
    guard configuration.storageEnabled else { return (.disabled, nil, []) }
    switch configuration.backend {
    case nil:
        return (.notConfigured, nil, [])
    case .local:
        let key = try StorageKeyProvider.masterKey(configured: configuration.storageKey?.value, dataDirectory: configuration.dataDirectory)
        let store = LocalObjectStore(dataDirectory: configuration.dataDirectory, masterKey: key)
        _ = try store.removeStaleTemporaryFiles(olderThan: 3600, now: now())
        let urls = try LocalPresignedURLs(baseURL: configuration.publicBaseURL, region: configuration.region, masterKey: key)
        return (.ready(store), urls, [])
    case .s3(let settings):
        let s3 = try S3ObjectStore.withOwnedClient(
            configuration: S3StoreConfiguration(
                credentials: Credentials(
                    accessKeyID: settings.accessKeyID,
                    secretAccessKey: settings.secretAccessKey.value,
                    sessionToken: settings.sessionToken?.value
                ),
                region: configuration.region,
                bucket: settings.bucket,
                endpoint: settings.endpoint?.absoluteString,
                kmsKeyID: settings.kmsKeyID
            )
        )
        return (.ready(s3.store), s3.store, [ShutdownService(shutdown: s3.shutdown)])
    }
}

/// The server-side encryption every write asks for, which the probe expects to read back.
private func expectedEncryption(_ configuration: AppConfiguration) -> String {
    guard let s3 = configuration.s3 else { return LocalObjectStore.serverSideEncryption }
    return s3.kmsKeyID == nil ? "AES256" : "aws:kms"
}
