#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call, kept as the `underlying` cause of a ``StorageError`` for the server's log.
///
/// Deliberately holds no path: paths under the data directory contain object keys, and keys contain
/// patient ids, which must not reach the logs.
struct SystemCallError: Error, CustomStringConvertible {
    /// The call that failed, e.g. `open`, `pwrite`, `rename`.
    let operation: String
    /// The `errno` it left.
    let errno: Int32

    var description: String {
        "\(operation) failed with errno \(errno) (\(String(cString: strerror(errno))))"
    }
}

extension StorageError {
    /// Translates an `errno` into the storage error the server should answer with.
    ///
    /// Missing files are `not_found` (callers that expect a file to exist, like the writer's rename,
    /// handle `ENOENT` themselves); permission problems are `storage_denied`; a full disk or quota is
    /// `insufficient_storage`; exhausted descriptors or memory are `storage_unavailable` with a retry hint;
    /// everything else is `storage_failure`.
    static func systemCall(_ operation: String, errno code: Int32) -> StorageError {
        let cause = SystemCallError(operation: operation, errno: code)
        switch code {
        case ENOENT, ENOTDIR:
            return .notFound(underlying: cause)
        case EACCES, EPERM, EROFS, ELOOP:
            return .denied(underlying: cause)
        case ENOSPC, EDQUOT:
            return .insufficientStorage(underlying: cause)
        case EMFILE, ENFILE, ENOMEM, EAGAIN, EBUSY:
            return .unavailable(retryAfter: 1, underlying: cause)
        default:
            return .failure(underlying: cause)
        }
    }

    /// The `errno` behind this error when a system call caused it, so callers can special-case `ENOENT`.
    var systemErrno: Int32? {
        (underlying as? SystemCallError)?.errno
    }
}
