import Crypto
import Foundation
import NIOCore

/// The body of a local read: decrypts only the chunks that overlap the requested range, a batch at a time.
///
/// Each element is the plaintext of at most ``LocalObjectStore/chunksPerIO`` chunks (1 MiB), trimmed to the range, so memory
/// stays flat for any object size. A batch is one `pread` and one hop to a blocking thread: one hop per 64 KiB
/// chunk made the hops, not the decryption, the larger cost of a download (BENCHMARKS.md, "Download"). While the
/// HTTP layer sends one batch, the next is read and decrypted (``Iterator``). A chunk that fails authentication ends the
/// sequence with `storage_integrity`.
struct DecryptedObjectBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    typealias Failure = any Error

    let file: OpenFile
    let header: EncryptedObjectHeader
    let fixedHeader: [UInt8]
    let chunkKey: SymmetricKey
    /// The plaintext byte range to deliver; nil for an empty object (nothing to deliver).
    let range: ClosedRange<Int64>?
    /// The first batch of the range, already decrypted so that a damaged start is reported before the response
    /// begins.
    private var firstBatch: ByteBuffer?

    /// Reads and decrypts the first batch now (on the calling thread, which must be allowed to block); every chunk
    /// of an empty object is authenticated now too.
    init(file: OpenFile, header: EncryptedObjectHeader, chunkKey: SymmetricKey, range: ClosedRange<Int64>?) throws(StorageError) {
        self.file = file
        self.header = header
        self.fixedHeader = header.fixedBytes
        self.chunkKey = chunkKey
        self.range = range
        let chunks = self.chunks ?? 0...0
        let first = try decryptBatch(from: chunks.lowerBound, through: chunks.upperBound)
        if range != nil { firstBatch = first }
    }

    /// The chunks the range touches.
    var chunks: ClosedRange<Int64>? {
        guard let range else { return nil }
        let size = Int64(EncryptedObjectFormat.chunkSize)
        return (range.lowerBound / size)...(range.upperBound / size)
    }

    /// The last chunk of the batch that starts at `first` and may reach as far as `last`.
    private static func batchEnd(from first: Int64, through last: Int64) -> Int64 {
        Swift.min(last, first + Int64(LocalObjectStore.chunksPerIO) - 1)
    }

    /// Reads, authenticates, decrypts and trims the batch that starts at chunk `first` (see ``batchEnd(from:through:)``),
    /// blocking the calling thread: one `pread` for the batch's sealed chunks, each opened into one output buffer.
    private func decryptBatch(from first: Int64, through last: Int64) throws(StorageError) -> ByteBuffer {
        let end = Self.batchEnd(from: first, through: last)
        let start = header.offset(ofChunk: first)
        let length = Int(header.offset(ofChunk: end) - start) + header.plaintextLength(ofChunk: end) + EncryptedObjectFormat.tagSize
        let sealed = try POSIXFileSystem.readBytes(file.descriptor, count: length, offset: start)
        guard sealed.count == length else { throw .integrity("The stored object is truncated.") }
        var output = ByteBufferAllocator().buffer(capacity: length)
        var position = 0
        for index in first...end {
            let sealedLength = header.plaintextLength(ofChunk: index) + EncryptedObjectFormat.tagSize
            let plaintext = try EncryptedObjectFormat.openChunk(
                sealed[position..<(position + sealedLength)],
                index: UInt32(index),
                isFinal: index == header.chunkCount - 1,
                fixedHeader: fixedHeader,
                noncePrefix: header.noncePrefix,
                key: chunkKey
            )
            position += sealedLength
            guard let range else { continue }
            let chunkStart = index * Int64(EncryptedObjectFormat.chunkSize)
            let lower = Int(Swift.max(range.lowerBound - chunkStart, 0))
            let upper = Int(Swift.min(range.upperBound - chunkStart + 1, Int64(plaintext.count)))
            output.writeBytes(plaintext[(plaintext.startIndex + lower)..<(plaintext.startIndex + upper)])
        }
        return output
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(body: self, next: chunks?.lowerBound ?? 1, last: chunks?.upperBound ?? 0)
    }

    /// Walks the batches of the range in order, one batch ahead: when it hands out a batch it starts reading and
    /// decrypting the next on a blocking thread, so that work overlaps the caller's writing of this one to the
    /// socket instead of following it. At most two batches (2 MiB) per body are in memory.
    struct Iterator: AsyncIteratorProtocol {
        let body: DecryptedObjectBody
        /// The first chunk of the next batch not yet started.
        var next: Int64
        let last: Int64
        /// The batch after the one last handed out, being read and decrypted.
        var ahead: Task<ByteBuffer, any Error>?

        init(body: DecryptedObjectBody, next: Int64, last: Int64) {
            self.body = body
            self.next = next
            self.last = last
        }

        mutating func next() async throws -> ByteBuffer? {
            let batch: ByteBuffer
            if let ahead {
                self.ahead = nil
                batch = try await ahead.value
            } else if next <= last {
                let first = takeBatch()
                if first == body.chunks?.lowerBound, let firstBatch = body.firstBatch {
                    batch = firstBatch
                } else {
                    batch = try await Self.decrypt(body, from: first, through: last)
                }
            } else {
                return nil
            }
            if next <= last {
                let (body, first, last) = (body, takeBatch(), last)
                ahead = Task { try await Self.decrypt(body, from: first, through: last) }
            }
            return batch
        }

        /// The first chunk of the next batch, marking that batch as started.
        private mutating func takeBatch() -> Int64 {
            let first = next
            next = DecryptedObjectBody.batchEnd(from: first, through: last) + 1
            return first
        }

        private static func decrypt(_ body: DecryptedObjectBody, from first: Int64, through last: Int64) async throws(StorageError) -> ByteBuffer {
            try await BlockingIO.run { () throws(StorageError) in try body.decryptBatch(from: first, through: last) }
        }
    }
}
