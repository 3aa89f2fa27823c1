import Crypto
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

/// An upload into ``LocalObjectStore``: encrypts chunk by chunk into a temporary file, then publishes it
/// with one `rename`.
///
/// Memory stays flat: at most one chunk (64 KiB) plus the caller's current buffer is held. The temporary
/// file lives in `<data>/tmp`, never under `objects/`, so a crash, an `abort` or a thrown error leaves no
/// half-written object under the key; a crash leaves only an orphan that
/// ``LocalObjectStore/removeStaleTemporaryFiles(olderThan:now:)`` sweeps away.
actor LocalObjectWriter: ObjectWriter {
    private enum State {
        case open(descriptor: Int32)
        case busy(descriptor: Int32)
        case closed
    }

    private let key: String
    private let destination: String
    private let temporaryPath: String
    private let layout: LocalStoreLayout
    private let keys: EncryptedObjectFormat.ObjectKeys
    private let logger: Logger
    private var header: EncryptedObjectHeader
    private let fixedHeader: [UInt8]
    private var state: State
    private var pending: [UInt8] = []
    private let etagKey: SymmetricKey
    /// The one pass over the plaintext: the caller's digest and, through it, the content MAC.
    private var contentHash = SHA256()
    private var nextChunk: UInt32 = 0
    private var nextOffset: Int64
    private var plaintextLength: Int64 = 0
    private var abortRequested = false

    /// Takes ownership of an open temporary file; the store has validated `key` and created `tmp/`.
    init(
        key: String,
        destination: String,
        temporaryPath: String,
        descriptor: Int32,
        layout: LocalStoreLayout,
        header: EncryptedObjectHeader,
        keys: EncryptedObjectFormat.ObjectKeys,
        etagKey: SymmetricKey,
        logger: Logger
    ) {
        self.key = key
        self.destination = destination
        self.temporaryPath = temporaryPath
        self.layout = layout
        self.header = header
        self.fixedHeader = header.fixedBytes
        self.keys = keys
        self.logger = logger
        self.state = .open(descriptor: descriptor)
        self.etagKey = etagKey
        self.nextOffset = Int64(header.headerLength)
        self.pending.reserveCapacity(EncryptedObjectFormat.chunkSize * 2)
    }

    deinit {
        // Dropped without finish or abort (the caller threw past us): leave nothing behind.
        if case .open(let descriptor) = state {
            POSIXFileSystem.closeFile(descriptor)
            _ = try? POSIXFileSystem.removeFile(temporaryPath)
        }
    }

    func write(_ chunk: ByteBuffer) async throws(StorageError) {
        let descriptor = try claim()
        chunk.withUnsafeReadableBytes { bytes in
            contentHash.update(bufferPointer: bytes)
            pending.append(contentsOf: bytes)
        }
        plaintextLength += Int64(chunk.readableBytes)
        // A chunk is sealed only once more bytes follow it: the last chunk must carry the final flag.
        var sealed: [UInt8] = []
        do throws(StorageError) {
            var start = 0
            while pending.count - start > EncryptedObjectFormat.chunkSize {
                let end = start + EncryptedObjectFormat.chunkSize
                sealed += try sealNext(pending[start..<end], isFinal: false)
                start = end
            }
            pending.removeFirst(start)
            if !sealed.isEmpty {
                let offset = nextOffset
                let bytes = sealed
                try await BlockingIO.run { () throws(StorageError) in try POSIXFileSystem.writeBytes(descriptor, bytes, offset: offset) }
                nextOffset += Int64(sealed.count)
                try checkNotAborted()
            }
        } catch {
            await fail(descriptor)
            throw error
        }
        state = .open(descriptor: descriptor)
    }

    func finish() async throws(StorageError) -> WrittenObject {
        let descriptor = try claim()
        do throws(StorageError) {
            let last = try sealNext(pending[...], isFinal: true)
            pending = []
            header.plaintextLength = plaintextLength
            let digest = contentHash.finalize()
            header.contentMAC = EncryptedObjectFormat.contentMAC(plaintextDigest: digest, etagKey: etagKey)
            let headerBytes = header.encoded(headerKey: keys.headerKey)
            let offset = nextOffset
            let modified = try await BlockingIO.run { () throws(StorageError) -> Date in
                try POSIXFileSystem.writeBytes(descriptor, last, offset: offset)
                try POSIXFileSystem.writeBytes(descriptor, headerBytes, offset: 0)
                try POSIXFileSystem.syncFile(descriptor)
                return POSIXFileSystem.modificationDate(try POSIXFileSystem.fileStatus(descriptor))
            }
            try checkNotAborted()
            try await publish()
            POSIXFileSystem.closeFile(descriptor)
            state = .closed
            logger.debug("stored object", metadata: ["key": "\(key)", "size": "\(plaintextLength)"])
            let info = ObjectInfo(
                key: key,
                size: plaintextLength,
                etag: header.etag,
                lastModified: modified,
                contentType: header.contentType,
                serverSideEncryption: LocalObjectStore.serverSideEncryption
            )
            return WrittenObject(info: info, sha256: digest)
        } catch {
            await fail(descriptor)
            throw error
        }
    }

    func abort() async {
        switch state {
        case .open(let descriptor):
            await fail(descriptor)
        case .busy:
            // Another call is in flight (a misuse); it sees the request after its I/O and cleans up.
            abortRequested = true
        case .closed:
            return
        }
    }

    /// Marks the writer busy for one operation; a second concurrent call, or a call after the end, fails.
    private func claim() throws(StorageError) -> Int32 {
        switch state {
        case .open(let descriptor):
            state = .busy(descriptor: descriptor)
            return descriptor
        case .busy:
            throw .failure("The upload is already being written to.")
        case .closed:
            throw .failure("The upload has already ended.")
        }
    }

    private func checkNotAborted() throws(StorageError) {
        if abortRequested { throw .failure("The upload was aborted.") }
    }

    private func sealNext(_ plaintext: ArraySlice<UInt8>, isFinal: Bool) throws(StorageError) -> [UInt8] {
        guard nextChunk < UInt32.max else { throw .failure("The object is too large for this store.") }
        defer { nextChunk += 1 }
        return try EncryptedObjectFormat.sealChunk(
            plaintext,
            index: nextChunk,
            isFinal: isFinal,
            fixedHeader: fixedHeader,
            noncePrefix: header.noncePrefix,
            key: keys.chunkKey
        )
    }

    /// Renames the finished file into place and fsyncs the directory; retried when a concurrent delete
    /// pruned a parent directory between creating it and the rename.
    private func publish() async throws(StorageError) {
        let parents = try layout.parentSegments(ofKey: key)
        let layout = layout
        let source = temporaryPath
        let destination = destination
        try await BlockingIO.run { () throws(StorageError) in
            var attempt = 0
            while true {
                attempt += 1
                try POSIXFileSystem.makeDirectories(under: layout.objectsDirectory, parents)
                do throws(StorageError) {
                    try POSIXFileSystem.renameItem(source, to: destination)
                    break
                } catch {
                    guard error.systemErrno == ENOENT, attempt < 5 else { throw error }
                    // Swept as stale (see removeStaleTemporaryFiles), or a parent directory pruned meanwhile.
                    guard try POSIXFileSystem.linkStatus(source) != nil else {
                        throw .failure("The upload's temporary file is gone.")
                    }
                }
            }
            try POSIXFileSystem.syncDirectory(layout.directoryPath(parents))
        }
    }

    /// Closes and removes the temporary file; the writer is unusable afterwards.
    private func fail(_ descriptor: Int32) async {
        state = .closed
        pending = []
        let path = temporaryPath
        _ = try? await BlockingIO.run { () throws(StorageError) in
            POSIXFileSystem.closeFile(descriptor)
            try POSIXFileSystem.removeFile(path)
        }
    }
}
