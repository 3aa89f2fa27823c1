/// One character as the SVG scanner sees it: an ASCII byte lowercased, or any byte ≥ 0x80 standing for part
/// of a non-ASCII character.
struct ScannedCharacter: Equatable {
    var byte: UInt8
    /// `false` when the character came from a character reference (`&#106;`, `&colon;`): such characters
    /// count for patterns, but never end an attribute value or open a tag, exactly as in XML.
    var isRaw: Bool
}
