/// Decodes XML/HTML character references (`&#106;`, `&#x09;`, `&colon;`) in a byte stream, one byte at a time,
/// so `java&#x09;script:` reaches the SVG scanner as `java<TAB>script:` even when split across chunks.
///
/// Numeric references are decoded with or without the closing `;` and with any number of leading zeros (as
/// browsers do); a handful of named references that can build URLs and markup are decoded too. Anything that
/// is not a reference passes through unchanged. Every ASCII letter is lowercased.
struct CharacterReferenceDecoder {
    private enum Mode {
        case passThrough
        case afterAmpersand
        case numeric(hex: Bool, digits: Int, value: UInt32)
        case named
    }

    /// Longest named reference we try to decode; longer runs are plain text.
    static let maxNameLength = 10
    static let named: [String: UInt8] = [
        "lt": 0x3C, "gt": 0x3E, "amp": 0x26, "quot": 0x22, "apos": 0x27, "colon": 0x3A, "tab": 0x09, "newline": 0x0A,
        "sol": 0x2F, "bsol": 0x5C, "lpar": 0x28, "rpar": 0x29, "equals": 0x3D, "period": 0x2E, "num": 0x23,
        "excl": 0x21, "commat": 0x40, "nbsp": 0x80,
    ]

    private var mode = Mode.passThrough

    /// Whether nothing is pending, so a byte other than the introducer passes through unchanged.
    var isIdle: Bool {
        if case .passThrough = mode { return true }
        return false
    }
    /// Raw bytes after `&`, kept so an unfinished reference can be passed through unchanged.
    private var pending: [UInt8] = []

    mutating func feed(_ byte: UInt8, into output: inout [ScannedCharacter]) {
        switch mode {
        case .passThrough:
            if byte == UInt8(ascii: "&") {
                mode = .afterAmpersand
                pending.removeAll(keepingCapacity: true)
            } else {
                output.append(ScannedCharacter(byte: Self.lowercased(byte), isRaw: true))
            }
        case .afterAmpersand:
            if byte == UInt8(ascii: "#") {
                pending.append(byte)
                mode = .numeric(hex: false, digits: 0, value: 0)
            } else if Self.isLetter(byte) {
                pending.append(byte)
                mode = .named
            } else {
                flush(into: &output)
                feed(byte, into: &output)
            }
        case .numeric(let hex, let digits, let value):
            if !hex, digits == 0, pending.count == 1, byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X") {
                pending.append(byte)
                mode = .numeric(hex: true, digits: 0, value: 0)
            } else if let digit = Self.digitValue(byte, hex: hex) {
                // Clamp instead of overflowing: anything above U+10FFFF is not a character anyway.
                let next = min(value * (hex ? 16 : 10) + digit, 0x11_0000)
                mode = .numeric(hex: hex, digits: digits + 1, value: next)
            } else if digits == 0 {
                flush(into: &output)
                feed(byte, into: &output)
            } else {
                mode = .passThrough
                Self.emit(codePoint: value, into: &output)
                if byte != UInt8(ascii: ";") { feed(byte, into: &output) }
            }
        case .named:
            if Self.isLetter(byte) || Self.digitValue(byte, hex: false) != nil, pending.count < Self.maxNameLength {
                pending.append(byte)
            } else if byte == UInt8(ascii: ";"), let decoded = Self.named[String(decoding: pending, as: UTF8.self).lowercased()] {
                mode = .passThrough
                output.append(ScannedCharacter(byte: Self.lowercased(decoded), isRaw: false))
            } else {
                flush(into: &output)
                feed(byte, into: &output)
            }
        }
    }

    /// Ends the stream: a numeric reference cut off by the end is decoded, anything else passes through.
    mutating func finish(into output: inout [ScannedCharacter]) {
        if case .numeric(_, let digits, let value) = mode, digits > 0 {
            mode = .passThrough
            Self.emit(codePoint: value, into: &output)
        } else if case .passThrough = mode {
            return
        } else {
            flush(into: &output)
        }
    }

    private mutating func flush(into output: inout [ScannedCharacter]) {
        output.append(ScannedCharacter(byte: UInt8(ascii: "&"), isRaw: true))
        for byte in pending { output.append(ScannedCharacter(byte: Self.lowercased(byte), isRaw: true)) }
        pending.removeAll(keepingCapacity: true)
        mode = .passThrough
    }

    /// NUL is dropped (browsers strip it from URLs); non-ASCII becomes the 0x80 placeholder.
    private static func emit(codePoint: UInt32, into output: inout [ScannedCharacter]) {
        guard codePoint != 0 else { return }
        let byte = codePoint < 0x80 ? lowercased(UInt8(codePoint)) : 0x80
        output.append(ScannedCharacter(byte: byte, isRaw: false))
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 0x20 : byte
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lowercased(byte))
    }

    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
