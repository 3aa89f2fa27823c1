import Audit
import Foundation
import Logging
import PostgresNIO

/// The medvault database on PostgreSQL: the document index, users, care teams, sessions and the audit trail,
/// shared by every node that points `DATABASE_URL` at the same database.
///
/// Opening it connects a pool (postgres-nio's `PostgresClient`, run by a task this value owns until ``close()``)
/// and applies pending migrations from `migrations/postgres/` under an advisory lock, so nodes starting together
/// on an empty database migrate it once. Each method runs in one transaction: a change and its audit rows commit
/// together or not at all. When the server cannot be reached, calls fail with ``PersistenceError/unavailable``
/// after at most ``leaseTimeout`` instead of hanging, and the pool reconnects by itself when the server is back.
/// - important: The database is never erased or rebuilt on a schema mismatch; see ``PostgresMigrator``.
package struct PostgreSQLDatabase: Sendable {
    /// How long a call waits for a pooled connection before it answers ``PersistenceError/unavailable``.
    static let leaseTimeout: Duration = .seconds(5)
    /// How long a call whose connection the server closed may still take to finish before it answers
    /// ``PersistenceError/unavailable``; statements issued on a closed connection are never answered.
    static let closedConnectionGrace: Duration = .seconds(1)

    let client: PostgresClient
    /// Runs the pool; cancelled by ``close()``.
    private let runner: Task<Void, Never>
    /// The logger for queries; never below `info`, because postgres-nio traces message contents at lower levels.
    let logger: Logger
    /// The key every new audit row is sealed with, and keyed rows are verified with; every node on one database
    /// needs the same one.
    let auditKey: AuditKey
    /// Batches concurrent ``appendAudit(_:)`` calls of this node into shared transactions (group commit).
    let auditAppender: AuditGroupCommit
    /// The migrations applied while opening, in order (empty when the schema was already current).
    package let migrationsAppliedAtOpen: [String]
    /// The migrations the code knows, in order.
    private let migrationIdentifiers: [String]

    /// Connects to the database at `location` and applies the migrations in `migrationsDirectory`; audit rows are
    /// sealed and verified with `auditKey`.
    ///
    /// Throws ``MigrationError`` when the migrations are malformed, the database is newer than the code, or a
    /// migration fails; ``PersistenceError/unavailable`` when the server cannot be reached;
    /// ``PersistenceError/auditKeyMismatch`` when another node wrote the chain with another key.
    package static func open(
        _ location: PostgresLocation,
        migrationsDirectory: URL,
        auditKey: AuditKey,
        logger: Logger,
        maximumConnections: Int = 20
    ) async throws -> PostgreSQLDatabase {
        let migrations = try Migrations(directory: migrationsDirectory)
        var logger = logger
        logger.logLevel = max(logger.logLevel, .info)
        let client = PostgresClient(
            configuration: clientConfiguration(location, maximumConnections: maximumConnections),
            backgroundLogger: logger
        )
        let runner = Task { await client.run() }
        do {
            let applied = try await PostgresMigrator.migrate(migrations, client: client, logger: logger)
            try await checkAuditKey(auditKey, client: client, logger: logger)
            return PostgreSQLDatabase(
                client: client,
                runner: runner,
                logger: logger,
                auditKey: auditKey,
                applied: applied,
                known: migrations.identifiers
            )
        } catch {
            runner.cancel()
            await runner.value
            throw error
        }
    }

    private init(client: PostgresClient, runner: Task<Void, Never>, logger: Logger, auditKey: AuditKey, applied: [String], known: [String]) {
        self.client = client
        self.runner = runner
        self.logger = logger
        self.auditKey = auditKey
        self.migrationsAppliedAtOpen = applied
        self.migrationIdentifiers = known
        self.auditAppender = AuditGroupCommit { entries in
            do {
                return try await Self.withConnection(from: client) { connection in
                    try await Self.inTransaction(.write, on: connection, logger: logger) { connection in
                        try await Self.appendAudit(entries, key: auditKey, on: connection, logger: logger)
                    }
                }
            } catch {
                throw Self.translate(error)
            }
        }
    }

    /// Every migration the database has applied, in the order they apply, for `medvault migrate` to report.
    package func appliedMigrations() async throws(PersistenceError) -> [String] {
        let applied = try await read { connection in
            Set(try await connection.query("SELECT identifier FROM medvault_migrations", logger: logger).decodeAll(String.self))
        }
        return migrationIdentifiers.filter { applied.contains($0) }
    }

    /// Succeeds when the server answers a query within ``leaseTimeout``; `/readyz` asks this.
    package func checkAvailability() async throws(PersistenceError) {
        try await withConnection { connection in
            _ = try await connection.query("SELECT 1", logger: logger).collect()
        }
    }

    /// Stops the pool: open connections are closed and later calls fail. Call it once, when the process ends.
    package func close() async {
        runner.cancel()
        await runner.value
    }

    /// Records `key`'s fingerprint if the database has none yet (the first node), and refuses a key whose
    /// fingerprint differs (``PersistenceError/auditKeyMismatch``).
    private static func checkAuditKey(_ key: AuditKey, client: PostgresClient, logger: Logger) async throws {
        let fingerprint = key.fingerprint
        let recorded = try await withConnection(from: client) { connection in
            try await connection.query(
                "INSERT INTO audit_key_fingerprint (fingerprint) VALUES (\(fingerprint)) ON CONFLICT (singleton) DO NOTHING",
                logger: logger
            )
            return try await connection.query("SELECT fingerprint FROM audit_key_fingerprint", logger: logger).decodeAll(String.self)
        }
        guard recorded == [fingerprint] else { throw PersistenceError.auditKeyMismatch }
    }

    /// The pool's settings for `location`: its TLS mode, at most `maximumConnections` connections.
    private static func clientConfiguration(_ location: PostgresLocation, maximumConnections: Int) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch location.tlsMode {
        case .disable:
            tls = .disable
        case .require:
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = .none
            tls = .require(settings)
        case .verifyFull:
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = .fullVerification
            if let path = location.rootCertificatePath {
                settings.trustRoots = .file(path)
            }
            tls = .require(settings)
        }
        var configuration = PostgresClient.Configuration(
            host: location.host,
            port: location.port,
            username: location.username,
            password: location.password,
            database: location.database,
            tls: tls
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }
}
