import Foundation

/// The one persistence interface: everything above Persistence reads and writes the database through it (or
/// through the narrower protocols it is made of), never through SQL or an engine's types.
///
/// Two engines answer it the same way: ``SQLiteDatabase`` (one file under the data directory, the default) and
/// ``PostgreSQLDatabase`` (a server shared by several nodes, with `DATABASE_URL`). ``DatabaseLocation/open(migrationsRoot:auditKey:logger:)``
/// picks one; the composition root and every command call it, and nothing else names an engine.
package protocol AppDatabase:
    DocumentIndex, DocumentImports, URLRevocations, StorageClasses, UploadIntents, UploadSessions, UserDirectory, SignInBuckets, SessionStore,
    CareTeams, Appointments, AuditLog, DatabaseHealth, JobLeases, ReconcileKeys, EntityErasures, MediaJobs
{
    /// The migrations applied while opening, in order (empty when the schema was already current).
    var migrationsAppliedAtOpen: [String] { get }

    /// Every migration the database has applied, in the order they apply, for `medvault migrate` to report.
    func appliedMigrations() async throws(PersistenceError) -> [String]

    /// Lets go of the database: a server engine closes its connections. Call it once, when the process is done
    /// with the database; later calls fail.
    func close() async
}
