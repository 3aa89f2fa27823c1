/// What medvault accepts as an account's e-mail address, exactly as the OpenAPI document's pattern
/// `^[^@<space>]+@[^@<space>]*\.[^@<space>]*$` with at most 254 characters says, where `<space>` is every control
/// character and every Unicode space (``isSpaceOrControl(_:)``).
///
/// One `@` with something before it, a dot somewhere after it, and no space or control character anywhere. It is
/// deliberately loose (mail servers decide the rest) but exact: it is checked on Unicode scalars, the units JSON
/// Schema counts and regular expressions match, so the document and the server never disagree about an address.
enum EmailAddressRule {
    /// The longest address, in Unicode scalars (RFC 5321's path limit).
    static let maxLength = 254

    /// Whether `text`, as sent (before it is lower-cased), is an acceptable address.
    static func accepts(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count <= maxLength, !scalars.contains(where: isSpaceOrControl) else { return false }
        let parts = scalars.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
    }

    /// C0 and C1 controls, DEL, the space, and every other Unicode space or line separator (the Zs category, U+2028,
    /// U+2029, and the byte-order mark U+FEFF that JavaScript counts as a space).
    static func isSpaceOrControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x20, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF: true
        default: scalar.properties.generalCategory == .spaceSeparator
        }
    }
}
