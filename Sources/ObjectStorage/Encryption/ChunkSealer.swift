import Crypto
import NIOCore

/// Cuts an upload's plaintext into the format's chunks (``EncryptedObjectFormat``) and seals each one into
/// the batch buffer the writer hands it; no I/O, so the cutting rules are tested alone.
///
/// A full chunk is sealed only once a byte after it has arrived, because the last chunk must carry the final
/// flag and a chunk cannot be known to be the last before the upload ends. Memory: one chunk of plaintext.
struct ChunkSealer {
    private let fixedHeader: [UInt8]
    private let noncePrefix: [UInt8]
    private let chunkKey: SymmetricKey
    /// The plaintext of the chunk being filled; at most one chunk.
    private var staged: [UInt8] = []
    private var nextChunk: UInt32 = 0

    /// Seals with the object's chunk key, under the header's fixed bytes and nonce prefix.
    init(header: EncryptedObjectHeader, chunkKey: SymmetricKey) {
        self.fixedHeader = header.fixedBytes
        self.noncePrefix = header.noncePrefix
        self.chunkKey = chunkKey
        staged.reserveCapacity(EncryptedObjectFormat.chunkSize)
    }

    /// Moves bytes from `input` into chunks, appending each sealed chunk (ciphertext ‖ tag) to `batch`; stops
    /// when `input` is empty or when one more sealed chunk would take `batch` past `limit` bytes (then the
    /// caller writes the batch out and calls again).
    mutating func take(from input: inout ByteBuffer, into batch: inout [UInt8], limit: Int) throws(StorageError) {
        while input.readableBytes > 0 {
            if staged.count == EncryptedObjectFormat.chunkSize {
                guard batch.count + EncryptedObjectFormat.sealedChunkSize <= limit else { return }
                try seal(isFinal: false, into: &batch)
            }
            let count = min(EncryptedObjectFormat.chunkSize - staged.count, input.readableBytes)
            input.readWithUnsafeReadableBytes { bytes in
                staged.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes.prefix(count)))
                return count
            }
        }
    }

    /// Seals what is staged as the last chunk (empty only for an empty object, which still has its one chunk).
    mutating func sealFinal(into batch: inout [UInt8]) throws(StorageError) {
        try seal(isFinal: true, into: &batch)
    }

    private mutating func seal(isFinal: Bool, into batch: inout [UInt8]) throws(StorageError) {
        guard nextChunk < UInt32.max else { throw .failure("The object is too large for this store.") }
        try EncryptedObjectFormat.sealChunk(
            staged[...],
            index: nextChunk,
            isFinal: isFinal,
            fixedHeader: fixedHeader,
            noncePrefix: noncePrefix,
            key: chunkKey,
            into: &batch
        )
        nextChunk += 1
        staged.removeAll(keepingCapacity: true)
    }
}
