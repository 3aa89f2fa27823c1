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

/// An upload into ``LocalObjectStore``: hashes and encrypts the bytes into a temporary file, a batch of chunks
/// per `pwrite`, then publishes it with one `rename`.
///
/// Each byte is hashed once (SHA-256, which both the caller's digest and the version-2 content MAC are made
/// from), copied once into the chunk being filled, encrypted, and its ciphertext copied once out of the
/// sealed box into a batch buffer. A full batch (``LocalObjectStore/chunksPerIO`` chunks, 1 MiB of plaintext) goes to the I/O
/// thread in one hop while the next batch is being sealed, so the disk write overlaps the cryptography; at
/// most one write is in flight. Each batch's writeback to disk starts as soon as it is written, so the
/// `fsync` at the end waits for little more than the last batch.
///
/// Memory stays flat: two batch buffers (~2 MiB) and one chunk of plaintext per upload, plus the caller's
/// current buffer. The temporary file lives in `<data>/tmp`, never under `objects/`, so a crash, an `abort`
/// or a thrown error leaves no half-written object under the key; a crash leaves only an orphan that
/// ``LocalObjectStore/removeStaleTemporaryFiles(olderThan:now:)`` sweeps away.
actor LocalObjectWriter: ObjectWriter {
    private enum State {
        case open(descriptor: Int32)
        case busy(descriptor: Int32)
        case closed
    }

    /// The bytes of one batch of sealed chunks (``LocalObjectStore/chunksPerIO`` of them).
    private static let batchLimit = LocalObjectStore.chunksPerIO * EncryptedObjectFormat.sealedChunkSize

    private let key: String
    private let destination: String
    private let temporaryPath: String
    private let layout: LocalStoreLayout
    private let keys: EncryptedObjectFormat.ObjectKeys
    private let etagKey: SymmetricKey
    private let logger: Logger
    private var header: EncryptedObjectHeader
    private var state: State
    private var sealer: ChunkSealer
    /// The one pass over the plaintext: the caller's digest and, through it, the content MAC.
    private var contentHash = SHA256()
    /// The batch being sealed into, and the one being written (or free).
    private var filling = SealedBatch(capacity: batchLimit)
    private var draining = SealedBatch(capacity: batchLimit)
    /// The write of `draining`, while in flight.
    private var writing: Task<Result<Void, StorageError>, Never>?
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
        self.keys = keys
        self.etagKey = etagKey
        self.logger = logger
        self.state = .open(descriptor: descriptor)
        self.sealer = ChunkSealer(header: header, chunkKey: keys.chunkKey)
        self.nextOffset = Int64(header.headerLength)
    }

    deinit {
        // Dropped without finish or abort (the caller threw past us): leave nothing behind, but never close
        // the descriptor under a write still in flight.
        guard case .open(let descriptor) = state else { return }
        let path = temporaryPath
        guard let writing else {
            POSIXFileSystem.closeFile(descriptor)
            _ = try? POSIXFileSystem.removeFile(path)
            return
        }
        Task.detached {
            _ = await writing.value
            POSIXFileSystem.closeFile(descriptor)
            _ = try? POSIXFileSystem.removeFile(path)
        }
    }

    func write(_ chunk: ByteBuffer) async throws(StorageError) {
        let descriptor = try claim()
        chunk.withUnsafeReadableBytes { contentHash.update(bufferPointer: $0) }
        plaintextLength += Int64(chunk.readableBytes)
        var input = chunk
        do throws(StorageError) {
            repeat {
                try sealer.take(from: &input, into: &filling.bytes, limit: Self.batchLimit)
                if filling.bytes.count + EncryptedObjectFormat.sealedChunkSize > Self.batchLimit {
                    try await startWriting(descriptor)
                }
            } while input.readableBytes > 0
        } catch {
            await fail(descriptor)
            throw error
        }
        state = .open(descriptor: descriptor)
    }

    func finish() async throws(StorageError) -> WrittenObject {
        let descriptor = try claim()
        do throws(StorageError) {
            try sealer.sealFinal(into: &filling.bytes)
            try await settleWrite()
            let digest = contentHash.finalize()
            header.plaintextLength = plaintextLength
            header.contentMAC = EncryptedObjectFormat.contentMAC(plaintextDigest: digest, etagKey: etagKey)
            let headerBytes = header.encoded(headerKey: keys.headerKey)
            let (last, offset) = (filling, nextOffset)
            let modified = try await BlockingIO.run { () throws(StorageError) -> Date in
                try POSIXFileSystem.writeBytes(descriptor, last.bytes, offset: offset)
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

    /// Hands the full batch to the I/O thread and returns at once; the previous batch's write is waited for
    /// first (its buffer is the next one filled, and its failure is reported here).
    private func startWriting(_ descriptor: Int32) async throws(StorageError) {
        try await settleWrite()
        try checkNotAborted()
        swap(&filling, &draining)
        filling.bytes.removeAll(keepingCapacity: true)
        let (batch, offset) = (draining, nextOffset)
        nextOffset += Int64(batch.bytes.count)
        writing = Task.detached { () -> Result<Void, StorageError> in
            do throws(StorageError) {
                try await BlockingIO.run { () throws(StorageError) in
                    try POSIXFileSystem.writeBytes(descriptor, batch.bytes, offset: offset)
                    POSIXFileSystem.startWriteback(descriptor, offset: offset, count: batch.bytes.count)
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
    }

    /// Waits for the batch in flight, if any, and reports its failure.
    private func settleWrite() async throws(StorageError) {
        guard let pending = writing else { return }
        writing = nil
        try await pending.value.get()
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

    /// Waits for any write in flight, then closes and removes the temporary file; the writer is unusable
    /// afterwards.
    private func fail(_ descriptor: Int32) async {
        state = .closed
        _ = try? await settleWrite()
        filling = SealedBatch(capacity: 0)
        draining = SealedBatch(capacity: 0)
        let path = temporaryPath
        _ = try? await BlockingIO.run { () throws(StorageError) in
            POSIXFileSystem.closeFile(descriptor)
            try POSIXFileSystem.removeFile(path)
        }
    }
}
