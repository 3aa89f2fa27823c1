// Byte-level helpers shared by every SigV4 stage: AWS URI encoding, strict percent-decoding and hex.
//
// They write into `[UInt8]` buffers instead of building intermediate `String`s, because pre-signing is on a hot
// path (one canonical request, one string to sign and one URL per call) and every avoided allocation counts. For
// the same reason the encoders format into a stack buffer and append it with one `append(contentsOf:)` (a
// `memcpy`) instead of appending byte by byte, which costs a uniqueness and capacity check per byte.

/// AWS's `UriEncode()` and its inverse, as defined in "Create a canonical request" (SigV4 docs):
/// unreserved characters `A-Z a-z 0-9 - _ . ~` are kept, every other byte of the UTF-8 form becomes `%XX`
/// with uppercase hex digits; `/` is kept only when encoding a path.
package enum URIEncoding {
    /// Whether `byte` is one of RFC 3986's unreserved characters, which AWS never encodes.
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Whether `byte` is written as it is: unreserved, or `/` when `keepSlash`.
    @inline(__always)
    static func isKept(_ byte: UInt8, keepSlash: Bool) -> Bool {
        isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/"))
    }

    /// Appends the AWS URI encoding of `bytes` to `output`; `keepSlash` keeps `/` (paths) instead of `%2F` (query).
    ///
    /// Runs of kept bytes are copied whole, and only the escapes are formatted, in a stack buffer: the typical
    /// object key has no escape at all and costs one scan and one `memcpy`.
    @inline(__always)
    static func appendEncoded(_ bytes: some Collection<UInt8>, keepSlash: Bool, to output: inout [UInt8]) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { appendEncoded($0, keepSlash: keepSlash, to: &output) }
        if done == nil {
            Array(bytes).withUnsafeBufferPointer { appendEncoded($0, keepSlash: keepSlash, to: &output) }
        }
    }

    private static func appendEncoded(_ bytes: UnsafeBufferPointer<UInt8>, keepSlash: Bool, to output: inout [UInt8]) {
        var escapes = 0
        for byte in bytes where !isKept(byte, keepSlash: keepSlash) { escapes += 1 }
        if escapes == 0 {
            output.append(contentsOf: bytes)
            return
        }
        let encodedCount = bytes.count + 2 * escapes
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: encodedCount) { buffer in
            var position = 0
            for byte in bytes {
                if isKept(byte, keepSlash: keepSlash) {
                    buffer[position] = byte
                    position += 1
                } else {
                    buffer[position] = UInt8(ascii: "%")
                    buffer[position + 1] = upperHexDigit(byte >> 4)
                    buffer[position + 2] = upperHexDigit(byte & 0x0F)
                    position += 3
                }
            }
            output.append(contentsOf: buffer)
        }
    }

    /// The AWS URI encoding of `string` as a `String` (used by stage tests and for small, non-hot values, such as the
    /// path of a CloudFront URL, which CloudFront expects encoded the same way).
    package static func encoded(_ string: String, keepSlash: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count)
        appendEncoded(string.utf8, keepSlash: keepSlash, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// How the AWS URI encodings (query form) of `lhs` and `rhs` compare in byte order: negative, zero or positive.
    ///
    /// Found on the decoded bytes, without building either encoding. The canonical query is sorted by encoded names
    /// and values, which is not the order of the decoded bytes (`.` < `/`, but `%2F` < `.`); it is their order once
    /// every escaped byte ranks below every kept one: `%` sorts below all unreserved characters, and two escapes
    /// compare as their bytes do, uppercase hex digits being in numeric order.
    static func compareEncoded(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Int {
        let contiguous = lhs.withContiguousStorageIfAvailable { lhs in
            rhs.withContiguousStorageIfAvailable { rhs in compareEncoded(lhs, rhs) }
        }
        if let result = contiguous ?? nil { return result }
        return Array(lhs).withUnsafeBufferPointer { lhs in Array(rhs).withUnsafeBufferPointer { rhs in compareEncoded(lhs, rhs) } }
    }

    private static func compareEncoded(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Int {
        for (left, right) in zip(lhs, rhs) where left != right {
            return encodedRank(left) < encodedRank(right) ? -1 : 1
        }
        return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
    }

    /// A byte's place in the encoded order (see `compareEncoded`): escaped bytes 0...255, kept ones 256...511.
    @inline(__always)
    private static func encodedRank(_ byte: UInt8) -> UInt16 {
        isUnreserved(byte) ? 256 | UInt16(byte) : UInt16(byte)
    }

    /// Strictly percent-decodes `bytes`: every `%` must be followed by two hex digits, and `+` stays a `+`
    /// (SigV4 signs RFC 3986 encoding, not HTML form encoding). Returns `nil` on a malformed escape.
    static func percentDecoded(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            index = bytes.index(after: index)
            guard byte == UInt8(ascii: "%") else {
                output.append(byte)
                continue
            }
            guard index != bytes.endIndex, let high = hexValue(bytes[index]) else { return nil }
            index = bytes.index(after: index)
            guard index != bytes.endIndex, let low = hexValue(bytes[index]) else { return nil }
            index = bytes.index(after: index)
            output.append(high << 4 | low)
        }
        return output
    }

    /// Appends the lowercase hex form of `bytes` (SigV4 hashes and signatures are lowercase hex).
    @inline(__always)
    static func appendLowerHex(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * bytes.count) { buffer in
            writeLowerHex(bytes, to: buffer)
            output.append(contentsOf: buffer)
        }
    }

    /// Writes the lowercase hex form of `bytes` into the first `2 * bytes.count` bytes of `output`.
    @inline(__always)
    static func writeLowerHex(_ bytes: UnsafeRawBufferPointer, to output: UnsafeMutableBufferPointer<UInt8>) {
        precondition(output.count >= 2 * bytes.count, "the hex output buffer is too small")
        for (index, byte) in bytes.enumerated() {
            output[2 * index] = lowerHexDigit(byte >> 4)
            output[2 * index + 1] = lowerHexDigit(byte & 0x0F)
        }
    }

    /// The value of an ASCII hex digit (either case), or `nil`.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    @inline(__always)
    private static func upperHexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "A") &+ nibble &- 10
    }

    @inline(__always)
    private static func lowerHexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10
    }
}
