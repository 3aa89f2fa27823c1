import Hummingbird

/// Writes JSON text straight into a `ByteBuffer`, for response bodies too hot for `JSONEncoder`.
///
/// A list page is 100 documents, about 50 KB of JSON. Under load, Foundation's `JSONEncoder` (which boxes every
/// value into a tree, then sorts each object's keys) took about 29% of the server's CPU time on `list`
/// (BENCHMARKS.md, "Metadata API"). This writer produces the bytes `JSONEncoder` produces with
/// `[.sortedKeys, .withoutEscapingSlashes]`, which is what ``JSONResponse`` uses, so a client cannot tell them
/// apart: callers write members in sorted key order, and strings are escaped exactly as `JSONEncoder` escapes
/// them (`JSONWriterTests` compares the two byte for byte).
struct JSONWriter {
    private(set) var buffer: ByteBuffer
    /// Whether the next value or key opens its container (or follows a key), so no comma goes before it.
    private var atStart = true

    /// A writer whose buffer starts with room for `capacity` bytes.
    init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }

    mutating func endObject() { close(UInt8(ascii: "}")) }

    mutating func beginArray() { open(UInt8(ascii: "[")) }

    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// An object member's key; `name` is written verbatim, so it must need no escaping (the API's keys are
    /// plain ASCII identifiers).
    mutating func key(_ name: StaticString) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(name)
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeInteger(UInt8(ascii: ":"))
        atStart = true
    }

    mutating func string(_ value: String) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        // Most strings need no escape at all: copy them whole, and only walk byte by byte when one does.
        if value.utf8.contains(where: Self.needsEscape) {
            writeEscaped(value)
        } else {
            buffer.writeString(value)
        }
        buffer.writeInteger(UInt8(ascii: "\""))
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
        buffer.writeString(String(value))
    }

    mutating func bool(_ value: Bool) {
        separate()
        buffer.writeStaticString(value ? "true" : "false")
    }

    mutating func null() {
        separate()
        buffer.writeStaticString("null")
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        buffer.writeInteger(bracket)
        atStart = true
    }

    private mutating func close(_ bracket: UInt8) {
        buffer.writeInteger(bracket)
        atStart = false
    }

    private mutating func separate() {
        if !atStart { buffer.writeInteger(UInt8(ascii: ",")) }
        atStart = false
    }

    /// The quotation mark, the reverse solidus and the C0 controls must be escaped (RFC 8259 §7); the solidus is
    /// not (`.withoutEscapingSlashes`), and neither is anything else, non-ASCII included, which goes out as UTF-8.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// `value`'s UTF-8 with `JSONEncoder`'s escapes: the two-character forms for `"`, `\`, backspace, form
    /// feed, newline, carriage return and tab, and `\u00xx` (lowercase hex) for the other controls.
    private mutating func writeEscaped(_ value: String) {
        for byte in value.utf8 {
            guard Self.needsEscape(byte) else {
                buffer.writeInteger(byte)
                continue
            }
            buffer.writeInteger(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): buffer.writeInteger(byte)
            case 0x08: buffer.writeInteger(UInt8(ascii: "b"))
            case 0x0C: buffer.writeInteger(UInt8(ascii: "f"))
            case 0x0A: buffer.writeInteger(UInt8(ascii: "n"))
            case 0x0D: buffer.writeInteger(UInt8(ascii: "r"))
            case 0x09: buffer.writeInteger(UInt8(ascii: "t"))
            default:
                let digits: StaticString = "0123456789abcdef"
                buffer.writeStaticString("u00")
                buffer.writeInteger(digits.utf8Start[Int(byte >> 4)])
                buffer.writeInteger(digits.utf8Start[Int(byte & 0x0F)])
            }
        }
    }
}
