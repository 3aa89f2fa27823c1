import NIOCore

/// The byte layout of clamd's `INSTREAM` command (clamd(8), "INSTREAM"): the command `zINSTREAM` and its NUL, then
/// chunks, each a 4-byte unsigned length in network byte order followed by that many bytes, then a zero length.
enum InstreamFraming {
    /// The command, `z`-prefixed so that clamd reads up to the NUL and ends its answer with one.
    static let command = Array("zINSTREAM\0".utf8)
    /// A zero length: the end of the stream, after which clamd scans and answers.
    static let terminator: [UInt8] = [0, 0, 0, 0]
    /// The largest chunk sent in one frame; longer buffers are split. Far below the 4-byte length's range.
    static let maximumFrameBytes = 1 << 20

    /// The 4-byte big-endian length that precedes a chunk of `count` bytes (1 ... ``maximumFrameBytes``).
    static func lengthPrefix(of count: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        var prefix = allocator.buffer(capacity: 4)
        prefix.writeInteger(UInt32(count), endianness: .big)
        return prefix
    }
}
