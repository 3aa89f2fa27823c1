/// Why the storage master key (or another key kept the same way) could not be obtained; the server refuses to
/// start with one of these.
///
/// A struct around a private `Code`, like ``StorageError``. Messages may name the key file's path (it is
/// not secret and the admin needs it) but never contain key material.
package struct StorageKeyError: Error, CustomStringConvertible {
    private enum Code: String, Sendable {
        case invalidConfiguredKey = "storage_key_invalid"
        case insecurePermissions = "storage_key_permissions"
        case invalidKeyFile = "storage_key_file_invalid"
        case io = "storage_key_io"
    }

    private let base: Code

    /// The stable code, for tests and for the start-up log line.
    package var code: String { base.rawValue }

    /// What is wrong and what to do about it, for the admin reading the start-up log.
    package let message: String

    /// The cause (a system call's errno), for the log.
    package let underlying: (any Error)?

    private init(_ base: Code, message: String, underlying: (any Error)? = nil) {
        self.base = base
        self.message = message
        self.underlying = underlying
    }

    /// The configured key (`MEDVAULT_STORAGE_KEY`, or `variable`) is not the base64 encoding of exactly 32 bytes.
    package static func invalidConfiguredKey(variable: String) -> StorageKeyError {
        StorageKeyError(
            .invalidConfiguredKey,
            message: "\(variable) must be the base64 encoding of exactly 32 bytes (e.g. `openssl rand -base64 32`)."
        )
    }

    /// The key file can be read by group or others (or is not a regular file): refuse to use a key that
    /// may have leaked, rather than silently tightening it.
    package static func insecurePermissions(path: String, mode: UInt32) -> StorageKeyError {
        StorageKeyError(
            .insecurePermissions,
            message: "The key file \(path) has mode \(String(mode & 0o7777, radix: 8)); it must be a regular file with mode 0600 or stricter."
        )
    }

    /// The key file does not hold a base64-encoded 32-byte key (wrong length, e.g. a torn write).
    package static func invalidKeyFile(path: String) -> StorageKeyError {
        StorageKeyError(.invalidKeyFile, message: "The key file \(path) does not hold a base64-encoded 32-byte key.")
    }

    /// The key file or the data directory could not be read, created or written.
    package static func io(path: String, underlying: any Error) -> StorageKeyError {
        StorageKeyError(.io, message: "The key file \(path) could not be read or created.", underlying: underlying)
    }

    /// The code and the message.
    package var description: String {
        "\(code): \(message)"
    }
}
