/// Reads little-endian fields out of an archive under test, so that expectations name offsets and values the way
/// APPNOTE.TXT lays them out.
struct ZipBytes {
    let bytes: [UInt8]

    func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }

    func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }

    func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) } }

    /// Where the last occurrence of `signature` starts.
    func last(_ signature: UInt32) -> Int? {
        (0...(bytes.count - 4)).reversed().first { u32($0) == signature }
    }
}
