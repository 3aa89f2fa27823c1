/// The fuzzer's input read as a few small values followed by the bytes under test, so one input can choose both
/// the data and how a target treats it (where a stream is split into chunks, a limit, a mode).
///
/// Reading never fails: past the end every value is zero and every byte run empty, so any input, even an
/// empty one, is a valid test case and libFuzzer's mutations always lead somewhere.
struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    init(_ data: UnsafeRawBufferPointer) {
        self.bytes = Array(data)[...]
    }

    /// Whether everything has been read.
    var isEmpty: Bool { bytes.isEmpty }

    /// The next byte, or 0 at the end.
    mutating func byte() -> UInt8 {
        bytes.popFirst() ?? 0
    }

    /// The next two bytes as a little-endian number (0 at the end).
    mutating func uint16() -> Int {
        Int(byte()) | Int(byte()) << 8
    }

    /// Bytes up to the next `separator` (which is consumed) or the end, at most `maxLength` of them.
    mutating func field(separator: UInt8 = UInt8(ascii: "\n"), maxLength: Int = .max) -> ArraySlice<UInt8> {
        let end = bytes.prefix(maxLength).firstIndex(of: separator) ?? min(bytes.endIndex, bytes.startIndex + maxLength)
        let field = bytes[..<end]
        bytes = bytes[end...]
        if bytes.first == separator { bytes.removeFirst() }
        return field
    }

    /// A `field` decoded as UTF-8 (invalid sequences become U+FFFD, as they would in an HTTP framework).
    mutating func text(separator: UInt8 = UInt8(ascii: "\n"), maxLength: Int = .max) -> String {
        String(decoding: field(separator: separator, maxLength: maxLength), as: UTF8.self)
    }

    /// Everything not read yet.
    mutating func rest() -> [UInt8] {
        defer { bytes = [] }
        return Array(bytes)
    }
}
