/// Why a storage operation failed, in terms every backend (local disk, S3) can share.
///
/// Shaped like async-http-client's errors: a struct around a private `Code` so that cases can grow without
/// breaking callers. The web edge switches on the stable ``code`` string to pick an HTTP status, shows
/// ``message`` to the client and logs ``underlying``.
/// - important: ``message`` never contains a path, an object key (keys carry patient ids) or key material,
///   because it may reach a client. ``underlying`` stays in the server's logs.
package struct StorageError: Error, CustomStringConvertible {
    private enum Code: String, Sendable {
        case notFound = "not_found"
        case denied = "storage_denied"
        case unavailable = "storage_unavailable"
        case insufficientStorage = "insufficient_storage"
        case integrity = "storage_integrity"
        case failure = "storage_failure"
    }

    private let base: Code

    /// The stable, machine-readable code: `not_found`, `storage_denied`, `storage_unavailable`,
    /// `insufficient_storage`, `storage_integrity` or `storage_failure`; the API's error body carries it unchanged.
    package var code: String { base.rawValue }

    /// A sentence that is safe to show to a client: no paths, no keys, no key material.
    package let message: String

    /// For `storage_unavailable`: how many seconds the caller should wait before retrying (the HTTP
    /// `Retry-After` header, RFC 9110 §10.2.3); nil for every other code.
    package let retryAfter: Int?

    /// The cause (a system call's errno, a crypto error, an HTTP status) for the server's log only.
    package let underlying: (any Error)?

    private init(_ base: Code, message: String, retryAfter: Int? = nil, underlying: (any Error)?) {
        self.base = base
        self.message = message
        self.retryAfter = retryAfter
        self.underlying = underlying
    }

    /// The object does not exist (HTTP 404); deleting a missing object is not reported with this.
    package static func notFound(_ message: String = "The object does not exist.", underlying: (any Error)? = nil) -> StorageError {
        StorageError(.notFound, message: message, underlying: underlying)
    }

    /// The backend refused the operation (S3 403, a file-system permission error): a configuration problem.
    package static func denied(_ message: String = "The storage backend refused the operation.", underlying: (any Error)? = nil) -> StorageError {
        StorageError(.denied, message: message, underlying: underlying)
    }

    /// The backend is temporarily unable to serve (S3 503/SlowDown, a peer that does not answer, too many open
    /// files); the caller may retry after `retryAfter` seconds.
    package static func unavailable(
        _ message: String = "The storage backend is temporarily unavailable.",
        retryAfter: Int,
        underlying: (any Error)? = nil
    ) -> StorageError {
        StorageError(.unavailable, message: message, retryAfter: retryAfter, underlying: underlying)
    }

    /// The volume that holds the objects is full (`ENOSPC`, `EDQUOT`): nothing was stored, and retrying will not
    /// help until an operator frees space (HTTP 507, RFC 4918 §11.5).
    package static func insufficientStorage(
        _ message: String = "The storage volume is full.",
        underlying: (any Error)? = nil
    ) -> StorageError {
        StorageError(.insufficientStorage, message: message, underlying: underlying)
    }

    /// The stored bytes failed authentication: tampered, truncated, reordered or swapped chunks, a damaged
    /// header, or a different master key than the one the object was written with.
    package static func integrity(
        _ message: String = "The stored object failed its integrity check.",
        underlying: (any Error)? = nil
    ) -> StorageError {
        StorageError(.integrity, message: message, underlying: underlying)
    }

    /// Anything else: an I/O error, a misuse of the API (an invalid key, a finished writer), an
    /// unexpected backend answer.
    package static func failure(_ message: String = "The storage backend failed.", underlying: (any Error)? = nil) -> StorageError {
        StorageError(.failure, message: message, underlying: underlying)
    }

    /// The code and the message only; the underlying error is left to explicit logging.
    package var description: String {
        "\(code): \(message)"
    }
}
