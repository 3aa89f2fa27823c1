import Crypto
import Documents
import Foundation
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded object store: objects on local disk under the data directory, encrypted at rest.
///
/// Not a toy (DESIGN.md, "Storage backends"): every object is AES-256-GCM encrypted in 64 KiB chunks
/// with per-object keys (``EncryptedObjectFormat``), so memory stays flat and a Range read decrypts only the
/// chunks it needs; writes are atomic (temporary file, fsync, rename, fsync of the directory); reads and
/// writes stream. Layout on disk: see ``LocalStoreLayout``. The master key comes from ``StorageKeyProvider``.
///
/// Blocking system calls run on dispatch threads through ``BlockingIO``, never on the cooperative pool.
/// Object keys are logged at debug level only, because they contain patient ids.
package struct LocalObjectStore: ObjectStore {
    /// What ``ObjectInfo/serverSideEncryption`` says for objects of this store.
    package static let serverSideEncryption = "AES-256-GCM"
    /// Chunks moved per `pread` or `pwrite` (and per hop to a blocking thread): 16 × 64 KiB = 1 MiB of
    /// plaintext. One hop per 64 KiB chunk cost more than the cryptography (BENCHMARKS.md, "Second round"); 1 MiB
    /// keeps eight concurrent transfers far below the memory bar.
    static let chunksPerIO = 16

    let layout: LocalStoreLayout
    private let masterKey: SymmetricKey
    private let etagKey: SymmetricKey

    /// A store over `dataDirectory` (created on first write) with the 32-byte master key from
    /// ``StorageKeyProvider``. A different key later makes every existing object fail with `storage_integrity`.
    package init(dataDirectory: URL, masterKey: SymmetricKey) {
        self.layout = LocalStoreLayout(dataDirectory: dataDirectory)
        self.masterKey = masterKey
        self.etagKey = EncryptedObjectFormat.etagKey(masterKey: masterKey)
    }

    /// `local`, the data directory, no region, and the encryption scheme; never the key.
    package var summary: StoreSummary {
        StoreSummary(
            backend: "local",
            location: layout.root,
            region: nil,
            encryption: "AES-256-GCM at rest (64 KiB chunks, per-object keys by HKDF-SHA256)"
        )
    }

    /// Opens a temporary file in `<data>/tmp` for an upload to `key`.
    package func makeWriter(key: String, contentType: String, logger: Logger) async throws(StorageError) -> any ObjectWriter {
        let destination = try layout.objectPath(forKey: key)
        guard contentType.utf8.count <= EncryptedObjectFormat.maxContentTypeSize else {
            throw .failure("The content type is too long to store.")
        }
        let header = EncryptedObjectHeader(
            salt: Self.randomBytes(EncryptedObjectFormat.saltSize),
            noncePrefix: Self.randomBytes(EncryptedObjectFormat.noncePrefixSize),
            contentType: contentType
        )
        let keys = EncryptedObjectFormat.ObjectKeys(masterKey: masterKey, salt: header.salt)
        let temporaryPath = layout.temporaryDirectory + "/" + UUID().lowercaseText + LocalStoreLayout.temporarySuffix
        let layout = layout
        let descriptor = try await BlockingIO.run { () throws(StorageError) -> Int32 in
            try POSIXFileSystem.makeDirectoryTree(layout.root)
            try POSIXFileSystem.makeDirectory(layout.objectsDirectory)
            try POSIXFileSystem.makeDirectory(layout.temporaryDirectory)
            return try POSIXFileSystem.openFile(temporaryPath, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
        }
        logger.debug("opened upload", metadata: ["key": "\(key)"])
        return LocalObjectWriter(
            key: key,
            destination: destination,
            temporaryPath: temporaryPath,
            descriptor: descriptor,
            layout: layout,
            header: header,
            keys: keys,
            etagKey: etagKey,
            logger: logger
        )
    }

    /// Opens the object, authenticates its header, checks its length, and decrypts the first chunk of the
    /// range before returning, so a wrong key or a damaged start fails before any byte is sent.
    package func read(key: String, range: ClosedRange<Int64>?, logger: Logger) async throws(StorageError) -> ObjectStream {
        let path = try layout.objectPath(forKey: key)
        let masterKey = masterKey
        // Opening, the header and the first batch of chunks take one hop to a blocking thread, not three: a
        // small document is read whole by then.
        let (info, body) = try await BlockingIO.run { () throws(StorageError) in
            let (file, header, keys, info) = try Self.openObject(key: key, path: path, masterKey: masterKey)
            let plaintextRange: ClosedRange<Int64>?
            if let range {
                guard range.lowerBound >= 0, range.upperBound < header.plaintextLength else {
                    throw .failure("The requested range lies outside the object.")
                }
                plaintextRange = range
            } else {
                plaintextRange = header.plaintextLength > 0 ? 0...(header.plaintextLength - 1) : nil
            }
            return (info, try DecryptedObjectBody(file: file, header: header, chunkKey: keys.chunkKey, range: plaintextRange))
        }
        logger.debug("reading object", metadata: ["key": "\(key)"])
        return ObjectStream(info: info, range: range, body: body)
    }

    /// Reads and authenticates the header only.
    package func head(key: String, logger: Logger) async throws(StorageError) -> ObjectInfo {
        let path = try layout.objectPath(forKey: key)
        let masterKey = masterKey
        return try await BlockingIO.run { () throws(StorageError) in try Self.openObject(key: key, path: path, masterKey: masterKey).3 }
    }

    /// Opens the file at `path` (the object `key`), authenticates its header and checks that its length matches,
    /// blocking the calling thread.
    static func openObject(
        key: String,
        path: String,
        masterKey: SymmetricKey
    ) throws(StorageError) -> (OpenFile, EncryptedObjectHeader, EncryptedObjectFormat.ObjectKeys, ObjectInfo) {
        let file = OpenFile(descriptor: try POSIXFileSystem.openFile(path, flags: O_RDONLY | O_NOFOLLOW))
        let status = try POSIXFileSystem.fileStatus(file.descriptor)
        guard POSIXFileSystem.kind(ofMode: status.st_mode) == .file else { throw .notFound() }
        let prefix = try POSIXFileSystem.readBytes(file.descriptor, count: EncryptedObjectFormat.maxHeaderSize, offset: 0)
        let (header, keys) = try EncryptedObjectHeader.decode(prefix, masterKey: masterKey)
        guard Int64(status.st_size) == header.fileLength else {
            throw .integrity("The stored object is truncated or has trailing data.")
        }
        let info = ObjectInfo(
            key: key,
            size: header.plaintextLength,
            etag: header.etag,
            lastModified: POSIXFileSystem.modificationDate(status),
            contentType: header.contentType,
            serverSideEncryption: serverSideEncryption
        )
        return (file, header, keys, info)
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
