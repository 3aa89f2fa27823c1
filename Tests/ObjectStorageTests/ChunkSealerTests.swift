import Crypto
import NIOCore
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("Cutting an upload into sealed chunks, a batch at a time")
    struct ChunkSealerTests {
        static let header = EncryptedObjectHeader(
            salt: patternBytes(count: 32, seed: 21),
            noncePrefix: patternBytes(count: 8, seed: 22),
            contentType: "application/pdf"
        )
        static let key = SymmetricKey(data: [UInt8](repeating: 9, count: 32))
        static let sealed = EncryptedObjectFormat.sealedChunkSize

        /// Opens consecutive sealed chunks numbered from `first`; with `endsObject`, the last one as the final chunk.
        static func open(_ batch: [UInt8], first: UInt32, endsObject: Bool) throws -> [UInt8] {
            var plaintext: [UInt8] = []
            var start = 0
            var index = first
            while start < batch.count {
                let end = min(start + sealed, batch.count)
                plaintext += try EncryptedObjectFormat.openChunk(
                    ArraySlice(batch[start..<end]),
                    index: index,
                    isFinal: endsObject && end == batch.count,
                    fixedHeader: header.fixedBytes,
                    noncePrefix: header.noncePrefix,
                    key: key
                )
                start = end
                index += 1
            }
            return plaintext
        }

        @Test("a full chunk is sealed only when a byte follows it, and a batch never goes past its limit")
        func batches() throws {
            let content = patternBytes(count: 3 * 65_536 + 1, seed: 23)
            var sealer = ChunkSealer(header: Self.header, chunkKey: Self.key)
            var first: [UInt8] = []
            var input = ByteBuffer(bytes: content[..<(3 * 65_536)])
            try sealer.take(from: &input, into: &first, limit: 2 * Self.sealed)
            #expect(input.readableBytes == 0)
            #expect(first.count == 2 * Self.sealed)  // chunk 2 is staged: nothing says yet whether it is the last

            input = ByteBuffer(bytes: content[(3 * 65_536)...])
            try sealer.take(from: &input, into: &first, limit: 2 * Self.sealed)
            #expect(input.readableBytes == 1)  // the batch is full: the caller writes it out first
            #expect(first.count == 2 * Self.sealed)

            var second: [UInt8] = []
            try sealer.take(from: &input, into: &second, limit: 2 * Self.sealed)
            #expect(input.readableBytes == 0)
            #expect(second.count == Self.sealed)
            try sealer.sealFinal(into: &second)
            #expect(second.count == Self.sealed + 1 + EncryptedObjectFormat.tagSize)

            #expect(try Self.open(first, first: 0, endsObject: false) + Self.open(second, first: 2, endsObject: true) == content)
            #expect(throws: StorageError.self) { try Self.open(second, first: 2, endsObject: false) }
        }

        @Test("an empty object is one empty final chunk; an exact chunk is final without a byte after it")
        func edges() throws {
            var empty = ChunkSealer(header: Self.header, chunkKey: Self.key)
            var batch: [UInt8] = []
            try empty.sealFinal(into: &batch)
            #expect(batch.count == EncryptedObjectFormat.tagSize)
            #expect(try Self.open(batch, first: 0, endsObject: true).isEmpty)

            let content = patternBytes(count: 65_536, seed: 24)
            var exact = ChunkSealer(header: Self.header, chunkKey: Self.key)
            var input = ByteBuffer(bytes: content)
            batch = []
            try exact.take(from: &input, into: &batch, limit: 4 * Self.sealed)
            #expect(batch.isEmpty)
            try exact.sealFinal(into: &batch)
            #expect(try Self.open(batch, first: 0, endsObject: true) == content)
        }
    }
}
