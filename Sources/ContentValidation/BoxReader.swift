/// Reads big-endian integers, FourCCs, C strings and child boxes from a box's payload; anything that runs past the
/// payload is a damaged file.
struct BoxReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func skip(_ count: Int) throws(UploadRejection) {
        _ = try take(count)
    }

    /// An unsigned big-endian integer of `width` bytes (0, 1, 2, 4 or 8; 0 reads as 0, as `iloc` sizes mean).
    mutating func integer(_ width: Int) throws(UploadRejection) -> Int {
        guard [0, 1, 2, 4, 8].contains(width) else { throw Self.damaged }
        let value = try take(width).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard value <= UInt64(Int32.max) else { throw .invalidImage("a HEIC offset or length is beyond any image medvault accepts") }
        return Int(value)
    }

    mutating func fourCC() throws(UploadRejection) -> String {
        String(decoding: try take(4), as: UTF8.self)
    }

    /// A NUL-terminated UTF-8 string (the NUL is read too).
    mutating func string() throws(UploadRejection) -> String {
        guard let end = bytes.firstIndex(of: 0) else { throw Self.damaged }
        defer { bytes = bytes[(end + 1)...] }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// The next child box: its type and payload (a 32-bit size, or 1 and a 64-bit size; 0 runs to the payload's end).
    mutating func box() throws(UploadRejection) -> (String, ArraySlice<UInt8>) {
        let start = bytes.startIndex
        var size = try integer(4)
        let type = try fourCC()
        if size == 1 { size = try integer(8) }
        if size == 0 { size = bytes.endIndex - start }
        let header = bytes.startIndex - start
        guard size >= header else { throw Self.damaged }
        return (type, try take(size - header))
    }

    private mutating func take(_ count: Int) throws(UploadRejection) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count else { throw Self.damaged }
        defer { bytes = bytes.dropFirst(count) }
        return bytes.prefix(count)
    }

    private static let damaged = UploadRejection.invalidImage("a box in a HEIC's meta box is damaged")
}
