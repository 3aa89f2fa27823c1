/// Chunk sizes for feeding a stream piece by piece: a deterministic sequence in 1...`maxSize` drawn from `seed`, so
/// the fuzzer controls where a stream is split (inside a delimiter, a header, an escape) by mutating one byte.
struct ChunkSizes {
    private var state: UInt32
    private let maxSize: Int

    init(seed: UInt8, maxSize: Int = 64) {
        self.state = UInt32(seed) &* 2_654_435_761 | 1
        self.maxSize = maxSize
    }

    mutating func next() -> Int {
        // xorshift32: cheap, and every seed gives a different split.
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return Int(state % UInt32(maxSize)) + 1
    }

    /// `bytes` cut into consecutive chunks of these sizes.
    static func split(_ bytes: [UInt8], seed: UInt8, maxSize: Int = 64) -> [ArraySlice<UInt8>] {
        var chunks: [ArraySlice<UInt8>] = []
        var sizes = ChunkSizes(seed: seed, maxSize: maxSize)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + sizes.next())
            chunks.append(bytes[start..<end])
            start = end
        }
        return chunks
    }
}
