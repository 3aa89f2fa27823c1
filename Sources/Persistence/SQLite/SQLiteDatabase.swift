import Audit
import CSQLiteSettings
import Foundation
import GRDB

#if canImport(Glibc)
import Glibc

/// `close(2)`, named apart from ``SQLiteDatabase/close()``.
private let closeDescriptor = Glibc.close
#elseif canImport(Darwin)
import Darwin

/// `close(2)`, named apart from ``SQLiteDatabase/close()``.
private let closeDescriptor = Darwin.close
#endif

/// The embedded engine of ``AppDatabase``: the document index, users, care teams, sessions and the audit trail, in
/// one SQLite file in WAL mode under the data directory; the default when `DATABASE_URL` is not set.
///
/// Following GRDB's AppDatabase pattern, constructing a value opens the file and applies pending migrations,
/// so every `SQLiteDatabase` has the current schema. Each method runs in one transaction: a document change and
/// its audit row commit together or not at all, and if the audit row cannot be written, the operation throws.
/// A `DatabasePool` lets reads (listings, statistics, verification) run while a write is in progress.
/// - important: The database is never erased or rebuilt on a schema mismatch; see ``MigrationRunner``.
package struct SQLiteDatabase: Sendable {
    private let pool: DatabasePool
    /// The key every new audit row is sealed with, and keyed rows are verified with.
    let auditKey: AuditKey
    /// Batches concurrent ``appendAudit(_:)`` calls into shared transactions (group commit).
    let auditAppender: AuditGroupCommit
    /// Which way recent filename searches were answered; forgotten when a transaction that inserts or deletes
    /// documents commits (``SearchPlanCache/Invalidator``).
    let searchPlans = SearchPlanCache()
    /// The migrations applied while opening, in order (empty when the schema was already current).
    package let migrationsAppliedAtOpen: [String]
    /// The migrations the code knows, in order.
    private let migrationIdentifiers: [String]

    /// Process-wide SQLite settings, made once before the first connection opens. Debian's SQLite keeps memory
    /// statistics, which serialise every SQLite allocation in the process on one mutex: under load, readers and the
    /// audit writer queued on it (BENCHMARKS.md, "Metadata API"). medvault never reads those statistics.
    private static let sqliteSettings: Void = {
        _ = medvault_sqlite_disable_memory_statistics()
    }()

    /// Opens (creating if needed) the database at `path` and applies the migrations in `migrationsDirectory`; audit
    /// rows are sealed and verified with `auditKey`.
    ///
    /// The file is created with mode 0600, and an existing one narrowed to it; SQLite gives its `-wal` and `-shm`
    /// files the database file's mode, so the whole database is readable by its owner only, whatever the umask.
    ///
    /// Throws ``MigrationError`` when the migrations are malformed, the database is newer than the code, or a
    /// migration fails; ``PersistenceError`` when the file cannot be opened.
    package init(path: String, migrationsDirectory: URL, auditKey: AuditKey) throws {
        _ = Self.sqliteSettings
        let migrations = try Migrations(directory: migrationsDirectory)
        try Self.createPrivateFile(path)
        var configuration = Configuration()
        // Another process (`medvault migrate`, `medvault audit verify`) may hold the write lock briefly.
        configuration.busyMode = .timeout(5)
        configuration.label = "medvault"
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB puts WAL databases in `synchronous = NORMAL`, where a commit is safe from a crash of the
            // process but not from a power loss. An audit row must be durable before its request is answered,
            // so the writer syncs the WAL on every commit; group commit (``AuditGroupCommit``) shares that fsync
            // among the requests of one batch.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw PersistenceError.database.with(cause: "\(error)")
        }
        self.auditKey = auditKey
        auditAppender = AuditGroupCommit { [pool] entries async throws(PersistenceError) in
            do {
                return try await pool.write { db in try Self.appendAudit(entries, key: auditKey, in: db) }
            } catch {
                throw Self.translate(error)
            }
        }
        pool.add(transactionObserver: SearchPlanCache.Invalidator(searchPlans), extent: .databaseLifetime)
        migrationIdentifiers = migrations.identifiers
        migrationsAppliedAtOpen = try MigrationRunner.migrate(pool, with: migrations)
    }

    /// Creates the database file with mode 0600 if it is missing, and narrows an existing one to 0600.
    private static func createPrivateFile(_ path: String) throws(PersistenceError) {
        let descriptor = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PersistenceError.database.with(cause: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { _ = closeDescriptor(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else {
            throw PersistenceError.database.with(cause: "cannot make \(path) private: \(String(cString: strerror(errno)))")
        }
    }

    /// Every migration the database has applied, in the order they apply, for `medvault migrate` to report.
    package func appliedMigrations() async throws(PersistenceError) -> [String] {
        let applied = try await read { db in try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations") }
        return migrationIdentifiers.filter { applied.contains($0) }
    }

    /// Closes the file's connections; later calls fail.
    package func close() async {
        try? pool.close()
    }

    /// Runs `updates` in one write transaction, translating SQLite's errors into ``PersistenceError``.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws(PersistenceError) -> T {
        do {
            return try await pool.write(updates)
        } catch {
            throw Self.translate(error)
        }
    }

    /// Runs `value` in one read transaction (a consistent snapshot), translating errors.
    func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws(PersistenceError) -> T {
        do {
            return try await pool.read(value)
        } catch {
            throw Self.translate(error)
        }
    }

    /// Gives tests and maintenance commands raw access to the pool; not for application code.
    var databasePool: DatabasePool { pool }

    /// SQLite's and GRDB's errors as ``PersistenceError`` (a ``PersistenceError`` passes through unchanged).
    static func translate(_ error: any Error) -> PersistenceError {
        if let error = error as? PersistenceError { return error }
        guard let error = error as? DatabaseError else { return PersistenceError.database.with(cause: "\(error)") }
        let cause = error.message ?? "\(error.extendedResultCode)"
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return PersistenceError.keyConflict.with(cause: cause)
        case .SQLITE_CONSTRAINT_CHECK, .SQLITE_CONSTRAINT_NOTNULL, .SQLITE_CONSTRAINT_DATATYPE, .SQLITE_CONSTRAINT_FOREIGNKEY:
            return PersistenceError.constraintViolation.with(cause: cause)
        case .SQLITE_FULL:
            return PersistenceError.storageFull.with(cause: cause)
        default:
            return PersistenceError.database.with(cause: cause)
        }
    }
}
