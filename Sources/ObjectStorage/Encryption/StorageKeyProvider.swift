import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the local store's 32-byte master key comes from (DESIGN.md, "Storage backends").
///
/// 1. Configuration: `MEDVAULT_STORAGE_KEY`, base64 of 32 bytes, read by the server as a secret and passed
///    in here. This is what production-like setups should use, with the key kept outside the data directory.
/// 2. Otherwise `<data>/storage.key`: created once with `O_CREAT|O_EXCL` and mode 0600, the key written as
///    base64 plus a newline (so it can be moved into `MEDVAULT_STORAGE_KEY` verbatim), fsynced; reused on
///    every later start.
///
/// - important: Losing or replacing the key makes every stored object unreadable (`storage_integrity`).
///   An existing key file is never regenerated or repaired: one with permissions wider than 0600 or with the
///   wrong length is refused with a ``StorageKeyError`` and the server does not start.
package enum StorageKeyProvider {
    /// The name of the generated key file inside the data directory.
    package static let keyFileName = "storage.key"

    /// The master key: the configured one (`MEDVAULT_STORAGE_KEY`) if non-empty, else the key file's.
    package static func masterKey(configured: String?, dataDirectory: URL) throws(StorageKeyError) -> SymmetricKey {
        try key(configured: configured, variable: "MEDVAULT_STORAGE_KEY", file: dataDirectory.appendingPathComponent(keyFileName))
    }

    /// A 32-byte key kept by the rules above: `configured` (the value of the variable named `variable`) if non-empty,
    /// else the key file at `file`, created on first use. Other secrets kept beside the storage key (the audit key)
    /// come from here too, so they are created, checked and refused the same way.
    package static func key(configured: String?, variable: String, file: URL) throws(StorageKeyError) -> SymmetricKey {
        if let configured = configured?.trimmingCharacters(in: .whitespacesAndNewlines), !configured.isEmpty {
            return try key(fromBase64: configured, variable: variable)
        }
        return try loadOrCreateKeyFile(at: file)
    }

    /// Decodes a base64 key that must be exactly 32 bytes (AES-256), configured as the variable named `variable`.
    package static func key(fromBase64 text: String, variable: String) throws(StorageKeyError) -> SymmetricKey {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw .invalidConfiguredKey(variable: variable)
        }
        return SymmetricKey(data: data)
    }

    /// Reads the key file at `url`, or creates it (and its directory, mode 0700) with a fresh random key.
    package static func loadOrCreateKeyFile(at url: URL) throws(StorageKeyError) -> SymmetricKey {
        let path = url.standardizedFileURL.path
        let directory = url.standardizedFileURL.deletingLastPathComponent().path
        for _ in 0..<2 {
            if let key = try readKeyFile(path) { return key }
            if let key = try createKeyFile(path, in: directory) { return key }
            // Another process created it between our read and our create: read theirs.
        }
        throw .io(path: path, underlying: SystemCallError(operation: "open", errno: EEXIST))
    }

    /// The key in the file, nil when there is no file.
    private static func readKeyFile(_ path: String) throws(StorageKeyError) -> SymmetricKey? {
        let descriptor: Int32
        do throws(StorageError) {
            descriptor = try POSIXFileSystem.openFile(path, flags: O_RDONLY | O_NOFOLLOW)
        } catch {
            if error.systemErrno == ENOENT { return nil }
            if error.systemErrno == ELOOP { throw .insecurePermissions(path: path, mode: UInt32(S_IFLNK)) }
            throw .io(path: path, underlying: error)
        }
        defer { POSIXFileSystem.closeFile(descriptor) }
        let status: stat
        let bytes: [UInt8]
        do throws(StorageError) {
            status = try POSIXFileSystem.fileStatus(descriptor)
        } catch {
            throw .io(path: path, underlying: error)
        }
        guard POSIXFileSystem.kind(ofMode: status.st_mode) == .file, status.st_mode & 0o077 == 0 else {
            throw .insecurePermissions(path: path, mode: UInt32(status.st_mode))
        }
        do throws(StorageError) {
            bytes = try POSIXFileSystem.readBytes(descriptor, count: 64, offset: 0)
        } catch {
            throw .io(path: path, underlying: error)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard bytes.count == 44 || (bytes.count == 45 && bytes.last == UInt8(ascii: "\n")),
            let data = Data(base64Encoded: text.trimmingCharacters(in: .newlines)), data.count == 32
        else {
            throw .invalidKeyFile(path: path)
        }
        return SymmetricKey(data: data)
    }

    /// Creates the file with a new key; nil when it already exists.
    private static func createKeyFile(_ path: String, in directory: String) throws(StorageKeyError) -> SymmetricKey? {
        let key = SymmetricKey(size: .bits256)
        let contents = Array((key.withUnsafeBytes { Data($0) }.base64EncodedString() + "\n").utf8)
        do throws(StorageError) {
            try POSIXFileSystem.makeDirectoryTree(directory)
            let descriptor: Int32
            do throws(StorageError) {
                descriptor = try POSIXFileSystem.openFile(path, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
            } catch {
                guard error.systemErrno == EEXIST else { throw error }
                return nil
            }
            do throws(StorageError) {
                defer { POSIXFileSystem.closeFile(descriptor) }
                // The umask can only narrow 0600, but make the mode exact whatever it is.
                if fchmod(descriptor, 0o600) != 0 { throw StorageError.systemCall("fchmod", errno: errno) }
                try POSIXFileSystem.writeBytes(descriptor, contents, offset: 0)
                try POSIXFileSystem.syncFile(descriptor)
            } catch {
                _ = try? POSIXFileSystem.removeFile(path)
                throw error
            }
            try POSIXFileSystem.syncDirectory(directory)
        } catch {
            throw .io(path: path, underlying: error)
        }
        return key
    }
}
