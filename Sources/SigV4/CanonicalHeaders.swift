/// Stage 1, lines 4 and 5 — "Create a canonical request": the canonical headers and the signed headers.
///
/// Names lowercased; values trimmed with inner runs of whitespace (including folded lines) collapsed to one
/// space; entries sorted by name; repeated headers merged into one line, values joined with `,` in the order
/// given. The signed headers are the sorted names joined with `;`.
struct CanonicalHeaders {
    /// `(lowercased name, canonical value)`, sorted by name, one entry per name.
    private(set) var entries: [(name: String, value: String)]

    /// Canonicalises `headers`; throws if a name is not an RFC 9110 token.
    init(_ headers: [(name: String, value: String)]) throws(SigV4Error) {
        var lowered: [(name: String, value: String, order: Int)] = []
        lowered.reserveCapacity(headers.count)
        for (order, header) in headers.enumerated() {
            guard Self.isToken(header.name) else {
                throw SigV4Error.invalidHeader.with(message: "a header name must be an RFC 9110 token")
            }
            lowered.append((header.name.lowercased(), Self.canonicalValue(header.value), order))
        }
        // Stable by construction: ties on the name keep the caller's order.
        lowered.sort { $0.name != $1.name ? $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) : $0.order < $1.order }
        var entries: [(name: String, value: String)] = []
        entries.reserveCapacity(lowered.count)
        for header in lowered {
            if let last = entries.last, last.name == header.name {
                entries[entries.count - 1].value = last.value + "," + header.value
            } else {
                entries.append((header.name, header.value))
            }
        }
        self.entries = entries
    }

    /// The signed-headers list, e.g. `host;x-amz-content-sha256;x-amz-date`.
    var signedHeaders: String {
        self.entries.map(\.name).joined(separator: ";")
    }

    /// Appends `name:value\n` for every entry (the canonical headers block, including its final newline).
    func append(to output: inout [UInt8]) {
        for entry in self.entries {
            output.append(contentsOf: entry.name.utf8)
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: entry.value.utf8)
            output.append(UInt8(ascii: "\n"))
        }
    }

    /// Whether the lowercased names include `name`.
    func contains(_ name: String) -> Bool {
        self.entries.contains { $0.name == name }
    }

    /// Trims the value and collapses every run of spaces, tabs, CR and LF into one space.
    static func canonicalValue(_ value: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                pendingSpace = !output.isEmpty
            default:
                if pendingSpace {
                    output.append(UInt8(ascii: " "))
                    pendingSpace = false
                }
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// RFC 9110 section 5.6.2 `token`: the only characters a field name may contain.
    static func isToken(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
                    UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
                    UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
                    true
                default:
                    false
                }
            }
    }
}
