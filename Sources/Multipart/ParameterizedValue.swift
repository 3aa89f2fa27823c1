/// A header value of the form `value *( ";" name "=" ( token / quoted-string ) )`.
///
/// Both `Content-Type` (RFC 9110 §5.6.6, used for the boundary) and `Content-Disposition` (RFC 6266 §4.1, RFC 7578
/// §4.2) have this shape, so one small parser serves both.
struct ParameterizedValue {
    /// The part before the first `;`, trimmed, as sent.
    var value: String
    /// The parameters in order; names lowercased (they are case-insensitive), values unquoted.
    var parameters: [(name: String, value: String)]

    /// The values of every parameter called `name` (lowercase), so callers can reject ambiguous duplicates.
    func values(of name: String) -> [String] {
        parameters.filter { $0.name == name }.map(\.value)
    }

    /// Parses `text`; nil when it is not well formed (empty value, parameter without `=`, unterminated quote, or
    /// garbage after a quoted string).
    ///
    /// Inside a quoted string a backslash escapes only `"` and `\`; any other backslash is kept, because some clients
    /// send Windows paths such as `C:\dir\file.pdf` unescaped (Go's `mime` package makes the same choice).
    init?(parsing text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func skipWhitespace() {
            while index < bytes.count, bytes[index] == .space || bytes[index] == .tab { index += 1 }
        }
        func decode(_ slice: ArraySlice<UInt8>) -> String {
            var trimmed = slice
            while let last = trimmed.last, last == .space || last == .tab { trimmed.removeLast() }
            while let first = trimmed.first, first == .space || first == .tab { trimmed.removeFirst() }
            return String(decoding: trimmed, as: UTF8.self)
        }

        let valueEnd = bytes.firstIndex(of: .semicolon) ?? bytes.count
        value = decode(bytes[0..<valueEnd])
        guard !value.isEmpty else { return nil }
        index = valueEnd
        parameters = []

        while index < bytes.count {
            index += 1  // the ";"
            skipWhitespace()
            guard index < bytes.count else { break }
            if bytes[index] == .semicolon { continue }
            let nameStart = index
            while index < bytes.count, bytes[index] != .equals, bytes[index] != .semicolon { index += 1 }
            guard index < bytes.count, bytes[index] == .equals else { return nil }
            let name = decode(bytes[nameStart..<index]).lowercased()
            guard !name.isEmpty else { return nil }
            index += 1  // the "="
            skipWhitespace()
            if index < bytes.count, bytes[index] == .quote {
                guard let (unquoted, end) = Self.quotedString(bytes, openingQuote: index) else { return nil }
                index = end
                skipWhitespace()
                guard index == bytes.count || bytes[index] == .semicolon else { return nil }
                parameters.append((name, unquoted))
            } else {
                let tokenStart = index
                while index < bytes.count, bytes[index] != .semicolon { index += 1 }
                parameters.append((name, decode(bytes[tokenStart..<index])))
            }
        }
    }

    /// Reads the quoted string that opens at `openingQuote`; returns its content and the index after the closing quote.
    private static func quotedString(_ bytes: [UInt8], openingQuote: Int) -> (String, Int)? {
        var content: [UInt8] = []
        var index = openingQuote + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == .quote { return (String(decoding: content, as: UTF8.self), index + 1) }
            if byte == .backslash, index + 1 < bytes.count, bytes[index + 1] == .quote || bytes[index + 1] == .backslash {
                content.append(bytes[index + 1])
                index += 2
            } else {
                content.append(byte)
                index += 1
            }
        }
        return nil
    }

    /// Decodes an RFC 5987 §3.2 `ext-value` (`charset'language'pct-encoded`), as used by `filename*`.
    /// Supports the two charsets RFC 5987 requires (UTF-8, ISO-8859-1); nil for anything else or bad encoding.
    static func decodeExtendedValue(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let firstQuote = bytes.firstIndex(of: .apostrophe),
            let secondQuote = bytes[(firstQuote + 1)...].firstIndex(of: .apostrophe)
        else { return nil }
        let charset = String(decoding: bytes[0..<firstQuote], as: UTF8.self).lowercased()
        var decoded: [UInt8] = []
        var index = secondQuote + 1
        while index < bytes.count {
            if bytes[index] == .percent {
                guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else {
                    return nil
                }
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        switch charset {
        case "utf-8": return String(validating: decoded, as: UTF8.self)
        case "iso-8859-1": return String(String.UnicodeScalarView(decoded.map { Unicode.Scalar($0) }))
        default: return nil
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
