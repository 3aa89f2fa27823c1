import Documents

/// A request's query decoded as HTML forms and HTTP clients encode it (WHATWG URL standard,
/// `application/x-www-form-urlencoded`): `+` is a space, then `%XX` escapes are decoded.
///
/// Hummingbird's own `queryParameters` leaves `+` alone, so a file name with a space, sent by a browser as
/// `discharge+letter.pdf`, would not find its key. A literal `+` in a key arrives as `%2B`. A value whose
/// escapes are not valid UTF-8 is kept raw; it then fails the key layout's "no `%`" rule with a clear 400.
struct QueryParameters {
    private let pairs: [(name: String, value: String)]

    /// `query` is the raw query of the request target, without the `?`.
    init(query: String?) {
        // Split on the UTF-8 bytes: splitting the String walks it by Character (grapheme breaking), which was about
        // 8% of the CPU time of a pre-signed URL's fetch. `&` and `=` are ASCII, so every piece is whole characters.
        pairs = (query ?? "").utf8.split(separator: UInt8(ascii: "&")).map { pair in
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? Substring(parts[1]) : ""
            return (Self.decode(Substring(parts[0])), Self.decode(value))
        }
    }

    /// The first value of `name`, if any.
    func get(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order; for refusing repeated parameters.
    func getAll(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// `+` becomes a space, then each `%XX` its byte; when an escape is malformed or the bytes are not UTF-8, the
    /// text with only its `+` replaced. Decoded here byte by byte: Foundation's `replacingOccurrences` and
    /// `removingPercentEncoding` were about 30% of the CPU time of a pre-signed URL's fetch, whose query is long
    /// and escaped.
    private static func decode(_ text: Substring) -> String {
        let plus = UInt8(ascii: "+")
        let percent = UInt8(ascii: "%")
        guard text.utf8.contains(where: { $0 == plus || $0 == percent }) else { return String(text) }
        let spaced = text.utf8.map { $0 == plus ? UInt8(ascii: " ") : $0 }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(spaced.count)
        var index = 0
        while index < spaced.count {
            guard spaced[index] == percent else {
                decoded.append(spaced[index])
                index += 1
                continue
            }
            guard index + 2 < spaced.count, let high = HexDigit.value(spaced[index + 1]), let low = HexDigit.value(spaced[index + 2]) else {
                return String(decoding: spaced, as: UTF8.self)
            }
            decoded.append(high << 4 | low)
            index += 3
        }
        return String(validating: decoded, as: UTF8.self) ?? String(decoding: spaced, as: UTF8.self)
    }
}
