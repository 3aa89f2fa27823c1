// Byte-level helpers shared by every SigV4 stage: AWS URI encoding, strict percent-decoding and hex.
//
// They write into `[UInt8]` buffers instead of building intermediate `String`s, because pre-signing is on a hot
// path (one canonical request, one string to sign and one URL per call) and every avoided allocation counts.

/// AWS's `UriEncode()` and its inverse, as defined in "Create a canonical request" (SigV4 docs):
/// unreserved characters `A-Z a-z 0-9 - _ . ~` are kept, every other byte of the UTF-8 form becomes `%XX`
/// with uppercase hex digits; `/` is kept only when encoding a path.
enum URIEncoding {
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

    /// Appends the AWS URI encoding of `bytes` to `output`; `keepSlash` keeps `/` (paths) instead of `%2F` (query).
    @inline(__always)
    static func appendEncoded(_ bytes: some Sequence<UInt8>, keepSlash: Bool, to output: inout [UInt8]) {
        for byte in bytes {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(upperHexDigit(byte >> 4))
                output.append(upperHexDigit(byte & 0x0F))
            }
        }
    }

    /// The AWS URI encoding of `string` as a `String` (used by stage tests and for small, non-hot values).
    static func encoded(_ string: String, keepSlash: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count)
        appendEncoded(string.utf8, keepSlash: keepSlash, to: &output)
        return String(decoding: output, as: UTF8.self)
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
        for byte in bytes {
            output.append(lowerHexDigit(byte >> 4))
            output.append(lowerHexDigit(byte & 0x0F))
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
