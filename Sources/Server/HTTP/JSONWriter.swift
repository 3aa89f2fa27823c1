import Hummingbird

/// Writes JSON text directly, for response bodies too hot for `JSONEncoder`.
///
/// A list page is 100 documents, about 50 KB of JSON. Under load, Foundation's `JSONEncoder` (which boxes every
/// value into a tree, then sorts each object's keys) took about 29% of the server's CPU time on `list`
/// (BENCHMARKS.md, "Metadata API"). This writer produces the bytes `JSONEncoder` produces with
/// `[.sortedKeys, .withoutEscapingSlashes]`, which is what ``JSONResponse`` uses, so a client cannot tell them
/// apart: callers write members in sorted key order, and strings are escaped exactly as `JSONEncoder` escapes
/// them (`JSONWriterTests` compares the two byte for byte).
struct JSONWriter {
    /// The JSON text so far. A plain array rather than a `ByteBuffer`: appending a byte to an array is a store,
    /// where `ByteBuffer.writeInteger` checks uniqueness and capacity on every call (that made the writer 19% of a
    /// list request's CPU time); the finished text is copied into a buffer once.
    private var bytes: [UInt8] = []
    /// Whether the next value or key opens its container (or follows a key), so no comma goes before it.
    private var atStart = true

    /// A writer with room for `capacity` bytes.
    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// The text written, as a response body.
    func makeBuffer() -> ByteBuffer {
        ByteBuffer(bytes: bytes)
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }

    mutating func endObject() { close(UInt8(ascii: "}")) }

    mutating func beginArray() { open(UInt8(ascii: "[")) }

    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// An object member's key; `name` is written verbatim, so it must need no escaping (the API's keys are
    /// plain ASCII identifiers).
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        atStart = true
    }

    mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            // Most strings need no escape at all: copy them whole, and only walk byte by byte when one does.
            if utf8.contains(where: Self.needsEscape) {
                writeEscaped(utf8)
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `value`, or `null` when it is nil (as `JSONEncoder` writes an optional it is asked to encode).
    mutating func string(_ value: String?) {
        guard let value else {
            null()
            return
        }
        string(value)
    }

    mutating func integer(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        separate()
        append(value ? "true" : "false")
    }

    mutating func null() {
        separate()
        append("null")
    }

    private mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        atStart = true
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        atStart = false
    }

    private mutating func separate() {
        if !atStart { bytes.append(UInt8(ascii: ",")) }
        atStart = false
    }

    /// The quotation mark, the reverse solidus and the C0 controls must be escaped (RFC 8259 §7); the solidus is
    /// not (`.withoutEscapingSlashes`), and neither is anything else, non-ASCII included, which goes out as UTF-8.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// `utf8` with `JSONEncoder`'s escapes: the two-character forms for `"`, `\`, backspace, form feed, newline,
    /// carriage return and tab, and `\u00xx` (lowercase hex) for the other controls.
    private mutating func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        for byte in utf8 {
            guard Self.needsEscape(byte) else {
                bytes.append(byte)
                continue
            }
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                let digits: StaticString = "0123456789abcdef"
                append("u00")
                bytes.append(digits.utf8Start[Int(byte >> 4)])
                bytes.append(digits.utf8Start[Int(byte & 0x0F)])
            }
        }
    }
}
