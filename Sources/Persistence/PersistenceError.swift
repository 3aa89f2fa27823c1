/// Why a database operation failed, in terms the web layer can map to an HTTP answer.
///
/// A struct around a private code (the async-http-client pattern) so kinds can be added without breaking
/// callers; compare with the static members (`error == .notFound`). Messages name ids and keys at most,
/// never file names or contents; `cause` keeps the engine's own message (SQLite's, PostgreSQL's) for the server log.
package struct PersistenceError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case notFound
        case alreadyArchived
        case notArchived
        case legalHold
        case notHeld
        case keyConflict
        case constraintViolation
        case unavailable
        case auditKeyMismatch
        case storageFull
        case uploadAbandoned
        case database
    }

    private let kind: Code
    /// A short explanation, safe for server logs.
    package let message: String
    /// The underlying error's description (the engine's message), for the server log only.
    package let cause: String?

    private init(_ code: Code, _ message: String, cause: String? = nil) {
        self.kind = code
        self.message = message
        self.cause = cause
    }

    /// No document has the given id or key, or no user the given id or email (a 404 at the edge).
    package static let notFound = PersistenceError(.notFound, "no such document or user")
    /// The document is archived already (a 409 at the edge).
    package static let alreadyArchived = PersistenceError(.alreadyArchived, "document is already archived")
    /// The document is active, so there is nothing to restore (a 409 at the edge).
    package static let notArchived = PersistenceError(.notArchived, "document is not archived")
    /// The document is under legal hold, so it cannot be archived, deleted, erased, expired or transitioned (a 409
    /// at the edge).
    package static let legalHold = PersistenceError(.legalHold, "document is under legal hold")
    /// A hold release for a document that is not held (a 409 at the edge).
    package static let notHeld = PersistenceError(.notHeld, "document is not under legal hold")
    /// Another document already has this key or id, or another user this email or id (a 409 at the edge).
    package static let keyConflict = PersistenceError(.keyConflict, "a row with this key, id or email already exists")
    /// The row breaks a rule of the schema (a CHECK, NOT NULL or foreign key constraint); a bug in the caller.
    package static let constraintViolation = PersistenceError(.constraintViolation, "the row breaks a schema constraint")
    /// The database server cannot be reached (down, restarting, out of connections); the same call may succeed
    /// once it is back (a 503 with `Retry-After` at the edge). Only a server engine (PostgreSQL) fails this way.
    package static let unavailable = PersistenceError(.unavailable, "the database cannot be reached")
    /// The audit key this process was given is not the one the database's chain is written with (nodes sharing a
    /// PostgreSQL database must share `MEDVAULT_AUDIT_KEY`); start-up stops rather than write rows others cannot
    /// verify.
    package static let auditKeyMismatch = PersistenceError(
        .auditKeyMismatch,
        "this node's audit key is not the key the database's audit chain is written with: give every node the same MEDVAULT_AUDIT_KEY"
    )
    /// The disk under the database is full (`SQLITE_FULL`, PostgreSQL's `disk_full`): nothing was written (a 507 at
    /// the edge).
    package static let storageFull = PersistenceError(.storageFull, "the database's disk is full")
    /// An upload outlived its grace and the abandoned-upload sweep claimed its objects: nothing was inserted.
    package static let uploadAbandoned = PersistenceError(.uploadAbandoned, "the upload was swept as abandoned")
    /// The database failed otherwise (I/O error, busy beyond the timeout, a trigger refusing).
    package static let database = PersistenceError(.database, "the database operation failed")

    /// A stable snake_case name for the kind, for error bodies and metrics (`not_found`, `already_archived`,
    /// `not_archived`, `legal_hold`, `not_held`, `key_conflict`, `constraint_violation`, `database_unavailable`,
    /// `audit_key_mismatch`, `storage_full`, `upload_abandoned`, `database_failure`).
    package var code: String {
        switch kind {
        case .notFound: "not_found"
        case .alreadyArchived: "already_archived"
        case .notArchived: "not_archived"
        case .legalHold: "legal_hold"
        case .notHeld: "not_held"
        case .keyConflict: "key_conflict"
        case .constraintViolation: "constraint_violation"
        case .unavailable: "database_unavailable"
        case .auditKeyMismatch: "audit_key_mismatch"
        case .storageFull: "storage_full"
        case .uploadAbandoned: "upload_abandoned"
        case .database: "database_failure"
        }
    }

    /// This error with the underlying cause attached.
    func with(cause: String) -> PersistenceError {
        PersistenceError(kind, message, cause: cause)
    }

    /// A one-line description for logs.
    package var description: String {
        cause.map { "PersistenceError: \(message) (\($0))" } ?? "PersistenceError: \(message)"
    }

    /// Errors are equal when they are of the same kind; messages and causes are detail.
    package static func == (lhs: PersistenceError, rhs: PersistenceError) -> Bool {
        lhs.kind == rhs.kind
    }
}
