import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The data directory (`MEDVAULT_DATA_DIR`, `--data-dir`): the database, the key files and the local store, which
/// only medvault's own user may reach.
///
/// ``prepare(_:)`` runs before anything is created in it, for `medvault serve` and every command alike.
package enum DataDirectory {
    /// Makes every file and directory this process creates from now on private (umask 077: files 0600, directories
    /// 0700), creates the directory (mode 0700) if it is missing, and refuses one that group or others can reach.
    ///
    /// The umask covers what medvault does not create itself with an explicit mode; SQLite's `-wal` and `-shm` files
    /// take the database file's mode, which ``SQLiteDatabase`` makes 0600.
    /// - important: A directory with wider permissions is refused, never silently narrowed: whatever was in it may
    ///   already have been read, and the operator must know (the message says how to fix it).
    package static func prepare(_ url: URL) throws(DataDirectoryError) {
        umask(0o077)
        let path = url.standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .unusable(path: path, cause: error.localizedDescription)
        }
        let attributes: [FileAttributeKey: Any]
        do {
            // Resolved first: the directory may be a symbolic link to a volume, and its target is what counts.
            attributes = try FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
        } catch {
            throw .unusable(path: path, cause: error.localizedDescription)
        }
        guard attributes[.type] as? FileAttributeType == .typeDirectory else { throw .notADirectory(path: path) }
        guard let mode = (attributes[.posixPermissions] as? NSNumber)?.uint32Value else {
            throw .unusable(path: path, cause: "its permissions cannot be read")
        }
        guard mode & 0o077 == 0 else { throw .exposed(path: path, mode: mode) }
    }
}

/// Why the data directory cannot be used; `medvault serve` and the commands refuse to start with one of these.
///
/// Messages name the directory (the operator needs it; it is configuration, not data) and say what to do.
package struct DataDirectoryError: Error, CustomStringConvertible {
    private enum Code: String, Sendable {
        case exposed = "data_directory_permissions"
        case notADirectory = "data_directory_not_directory"
        case unusable = "data_directory_io"
    }

    private let base: Code

    /// The stable code, for tests and the start-up log line.
    package var code: String { base.rawValue }

    /// What is wrong and how to fix it.
    package let message: String

    private init(_ base: Code, message: String) {
        self.base = base
        self.message = message
    }

    /// Group or others have some access to the directory, so they may read the database and the keys in it.
    package static func exposed(path: String, mode: UInt32) -> DataDirectoryError {
        DataDirectoryError(
            .exposed,
            message: "The data directory \(path) has mode \(String(mode, radix: 8)); group and others must have no access to it "
                + "(it holds the database and the keys). Run `chmod 700 \(path)` and start again."
        )
    }

    /// The path exists but is not a directory.
    package static func notADirectory(path: String) -> DataDirectoryError {
        DataDirectoryError(.notADirectory, message: "The data directory \(path) is not a directory.")
    }

    /// The directory could not be created or examined.
    package static func unusable(path: String, cause: String) -> DataDirectoryError {
        DataDirectoryError(.unusable, message: "The data directory \(path) cannot be created or read: \(cause)")
    }

    /// The code and the message.
    package var description: String {
        "\(code): \(message)"
    }
}
