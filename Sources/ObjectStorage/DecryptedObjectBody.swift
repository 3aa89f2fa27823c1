import Crypto
import Foundation
import NIOCore
import NIOFoundationCompat

/// The body of a local read: decrypts only the chunks that overlap the requested range, one at a time.
///
/// Each element is at most one chunk (64 KiB) of plaintext, trimmed to the range, so memory stays flat for
/// any object size. A chunk that fails authentication ends the sequence with `storage_integrity`.
struct DecryptedObjectBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    typealias Failure = any Error

    let file: OpenFile
    let header: EncryptedObjectHeader
    let fixedHeader: [UInt8]
    let chunkKey: SymmetricKey
    /// The plaintext byte range to deliver; nil for an empty object (nothing to deliver).
    let range: ClosedRange<Int64>?
    /// The first chunk of the range, already decrypted by `read` so that a damaged start is reported before
    /// the response begins.
    let firstChunk: ByteBuffer?

    init(file: OpenFile, header: EncryptedObjectHeader, chunkKey: SymmetricKey, range: ClosedRange<Int64>?) {
        self.file = file
        self.header = header
        self.fixedHeader = header.fixedBytes
        self.chunkKey = chunkKey
        self.range = range
        self.firstChunk = nil
    }

    private init(_ body: DecryptedObjectBody, firstChunk: ByteBuffer) {
        self.file = body.file
        self.header = body.header
        self.fixedHeader = body.fixedHeader
        self.chunkKey = body.chunkKey
        self.range = body.range
        self.firstChunk = firstChunk
    }

    /// The chunks the range touches.
    var chunks: ClosedRange<Int64>? {
        guard let range else { return nil }
        let size = Int64(EncryptedObjectFormat.chunkSize)
        return (range.lowerBound / size)...(range.upperBound / size)
    }

    /// A copy whose first chunk is decrypted now (and every chunk of an empty object verified now).
    func prefetchingFirstChunk() async throws(StorageError) -> DecryptedObjectBody {
        guard let chunks else {
            // An empty object: its single empty chunk still has to authenticate.
            _ = try await decryptedChunk(0)
            return self
        }
        return DecryptedObjectBody(self, firstChunk: try await decryptedChunk(chunks.lowerBound))
    }

    /// Reads, authenticates, decrypts and trims chunk `index`.
    func decryptedChunk(_ index: Int64) async throws(StorageError) -> ByteBuffer {
        let header = header
        let fixedHeader = fixedHeader
        let chunkKey = chunkKey
        let descriptor = file.descriptor
        let file = file
        let plaintext = try await BlockingIO.run { () throws(StorageError) in
            withExtendedLifetime(file) {}
            let length = header.plaintextLength(ofChunk: index) + EncryptedObjectFormat.tagSize
            let sealed = try POSIXFileSystem.readBytes(descriptor, count: length, offset: header.offset(ofChunk: index))
            guard sealed.count == length else { throw .integrity("The stored object is truncated.") }
            return try EncryptedObjectFormat.openChunk(
                sealed,
                index: UInt32(index),
                isFinal: index == header.chunkCount - 1,
                fixedHeader: fixedHeader,
                noncePrefix: header.noncePrefix,
                key: chunkKey
            )
        }
        guard let range else { return ByteBuffer() }
        let chunkStart = index * Int64(EncryptedObjectFormat.chunkSize)
        let lower = Int(Swift.max(range.lowerBound - chunkStart, 0))
        let upper = Int(Swift.min(range.upperBound - chunkStart + 1, Int64(plaintext.count)))
        return ByteBuffer(data: plaintext[(plaintext.startIndex + lower)..<(plaintext.startIndex + upper)])
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(body: self, next: chunks?.lowerBound ?? 1, last: chunks?.upperBound ?? 0)
    }

    /// Walks the chunks of the range in order.
    struct Iterator: AsyncIteratorProtocol {
        let body: DecryptedObjectBody
        var next: Int64
        let last: Int64

        mutating func next() async throws -> ByteBuffer? {
            guard next <= last else { return nil }
            let index = next
            next += 1
            if index == body.chunks?.lowerBound, let first = body.firstChunk {
                return first
            }
            return try await body.decryptedChunk(index)
        }
    }
}
