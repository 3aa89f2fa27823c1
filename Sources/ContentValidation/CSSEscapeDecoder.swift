/// Decodes CSS escapes (CSS Syntax Level 3, §4.3.7) in the SVG scanner's character stream, so `@\69mport` and
/// `u\72l(` are seen as `@import` and `url(` wherever a `<style>` or `style=` could carry them.
///
/// A hex escape (`\` + 1–6 hex digits + one optional whitespace) becomes a decoded character (never raw, so
/// it cannot open a tag or end a value); `\` + any other character becomes that character, keeping whether it
/// was raw, so `\<script` still opens a tag. Outside CSS this only removes backslashes, which XML ignores.
struct CSSEscapeDecoder {
    private enum Mode {
        case passThrough
        case afterBackslash
        case hex(value: UInt32, digits: Int)
    }

    private var mode = Mode.passThrough

    /// Whether nothing is pending, so a byte other than the introducer passes through unchanged.
    var isIdle: Bool {
        if case .passThrough = mode { return true }
        return false
    }

    mutating func feed(_ character: ScannedCharacter, into output: inout [ScannedCharacter]) {
        let byte = character.byte
        switch mode {
        case .passThrough:
            if byte == UInt8(ascii: "\\") {
                mode = .afterBackslash
            } else {
                output.append(character)
            }
        case .afterBackslash:
            if let digit = Self.hexValue(byte) {
                mode = .hex(value: digit, digits: 1)
            } else {
                mode = .passThrough
                if byte != 0x0A { output.append(character) }  // `\` + newline is a line continuation
            }
        case .hex(let value, let digits):
            if digits < 6, let digit = Self.hexValue(byte) {
                mode = .hex(value: value * 16 + digit, digits: digits + 1)
                return
            }
            mode = .passThrough
            Self.emit(codePoint: value, into: &output)
            let isWhitespace = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
            if !isWhitespace { feed(character, into: &output) }
        }
    }

    /// Ends the stream: a hex escape cut off by the end is decoded.
    mutating func finish(into output: inout [ScannedCharacter]) {
        if case .hex(let value, _) = mode { Self.emit(codePoint: value, into: &output) }
        mode = .passThrough
    }

    private static func emit(codePoint: UInt32, into output: inout [ScannedCharacter]) {
        guard codePoint != 0 else { return }
        let byte = codePoint < 0x80 ? CharacterReferenceDecoder.lowercased(UInt8(codePoint)) : 0x80
        output.append(ScannedCharacter(byte: byte, isRaw: false))
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        default: nil
        }
    }
}
