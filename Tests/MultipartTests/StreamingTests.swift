import NIOCore
import Testing

@testable import Multipart

/// Large parts stream through in flat memory, at a useful speed even in a debug build.
@Suite struct StreamingTests {
    static let boundary = "----medvaultStreamBoundary0123456789"
    static let chunkSize = 64 * 1024

    /// A body with one file part of `blocks` × 64 KiB. The content is random bytes with delimiter look-alikes, one
    /// of them placed so that every 64 KiB chunk ends inside it and the parser must retain a tail each time.
    static func body(blocks: Int) -> (body: ByteBuffer, content: ByteBuffer) {
        let head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.dcm\"\r\n\r\n"
        var random = SeededGenerator(seed: 7)
        var block = random.bytes(chunkSize)
        let lookAlike = Array("\r\n--\(boundary.prefix(12))".utf8)
        let splitAt = chunkSize - head.utf8.count - 5
        block.replaceSubrange(splitAt..<(splitAt + lookAlike.count), with: lookAlike)
        block.replaceSubrange(100..<(100 + lookAlike.count), with: lookAlike)
        var content = ByteBufferAllocator().buffer(capacity: blocks * chunkSize)
        for _ in 0..<blocks { content.writeBytes(block) }
        var body = ByteBufferAllocator().buffer(capacity: content.readableBytes + 200)
        body.writeString(head)
        body.writeImmutableBuffer(content)
        body.writeString("\r\n--\(boundary)--\r\n")
        return (body, content)
    }

    @Test func twentyMegabytePartKeepsTheBufferSmall() throws {
        let (body, content) = Self.body(blocks: 320)
        var parser = MultipartParser(boundary: Self.boundary)
        var offset = 0
        var maxBuffered = 0
        var sawRetainedTail = false
        var position = body.readerIndex
        while position < body.writerIndex {
            let length = min(Self.chunkSize, body.writerIndex - position)
            guard let chunk = body.getSlice(at: position, length: length) else { break }
            position += length
            for event in try parser.parse(chunk) {
                guard case .body(let bytes) = event else { continue }
                #expect(bytes.readableBytes <= Self.chunkSize)
                #expect(bytes == content.getSlice(at: offset, length: bytes.readableBytes))
                offset += bytes.readableBytes
            }
            maxBuffered = max(maxBuffered, parser.bufferedByteCount)
            sawRetainedTail = sawRetainedTail || parser.bufferedByteCount > 0
        }
        try parser.finish()
        #expect(offset == 320 * Self.chunkSize)
        #expect(sawRetainedTail)
        #expect(maxBuffered < Self.boundary.utf8.count + 4)
    }

    @Test func throughputOfAFiftyMegabyteBody() throws {
        let (body, _) = Self.body(blocks: 50_000_000 / Self.chunkSize + 1)
        var parser = MultipartParser(boundary: Self.boundary)
        var received = 0
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            var position = body.readerIndex
            while position < body.writerIndex {
                let length = min(Self.chunkSize, body.writerIndex - position)
                guard let chunk = body.getSlice(at: position, length: length) else { break }
                position += length
                for case .body(let bytes) in try parser.parse(chunk) { received += bytes.readableBytes }
            }
            try parser.finish()
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let megabytes = Double(body.readableBytes) / 1_000_000
        print("Multipart throughput: \(Int(megabytes)) MB in 64 KiB chunks took \(Int(seconds * 1000)) ms = \(Int(megabytes / seconds)) MB/s")
        #expect(received > 50_000_000)
    }
}
