import Foundation

/// The rule a sanitised file name must satisfy to become the `{name}` part of a key's `{uuid}-{name}` segment.
///
/// It lives next to the key layout so that key parsing and the upload sanitiser (`FileNameSanitizer` in
/// `ContentValidation`) agree on one definition: every sanitised name is a valid object name, and a key
/// whose name breaks the rule does not parse. The rule keeps names readable in consoles, shells and
/// `Content-Disposition` headers, and unambiguous as S3 keys:
/// - 1 to ``maxBytes`` UTF-8 bytes, in Unicode NFC (so two names that look the same are the same bytes);
/// - none of the characters in ``isForbidden(_:)``;
/// - the only whitespace is a single U+0020 between other characters (no leading, trailing or double space);
/// - it does not start with a dot (no hidden files, never `.` or `..`) and does not end with a dot.
package enum ObjectNameRule {
    /// The longest name, in UTF-8 bytes; with the UUID prefix an object name stays under 190 bytes, far
    /// below S3's 1024-byte key limit.
    package static let maxBytes = 150

    /// The ways a name can break the rule, each with a message that does not repeat the name.
    package enum Violation: Sendable, Hashable, CustomStringConvertible {
        case empty
        case tooLong
        case forbiddenCharacter
        case irregularWhitespace
        case leadingDot
        case trailingDot
        case notNormalized

        /// What is wrong, phrased to follow "file name …".
        package var description: String {
            switch self {
            case .empty: "is empty"
            case .tooLong: "is longer than \(ObjectNameRule.maxBytes) bytes"
            case .forbiddenCharacter: "contains a forbidden character"
            case .irregularWhitespace: "has leading, trailing, repeated or non-space whitespace"
            case .leadingDot: "starts with a dot"
            case .trailingDot: "ends with a dot"
            case .notNormalized: "is not in Unicode NFC form"
            }
        }
    }

    /// Checks `name` against the rule; `nil` means valid.
    package static func violation(of name: some StringProtocol) -> Violation? {
        guard !name.isEmpty else { return .empty }
        guard name.utf8.count <= maxBytes else { return .tooLong }
        if let violation = characterViolation(of: name) { return violation }
        if name.hasSuffix(" ") { return .irregularWhitespace }
        if name.hasSuffix(".") { return .trailingDot }
        guard UnicodeNormalization.isNFC(name) else { return .notNormalized }
        return nil
    }

    /// Checks the start of a name, as typed into a list prefix: the character rules and the leading rules
    /// apply, the ones about the end of the name do not.
    package static func prefixViolation(of partial: some StringProtocol) -> Violation? {
        guard partial.utf8.count <= maxBytes else { return .tooLong }
        if let violation = characterViolation(of: partial) { return violation }
        guard UnicodeNormalization.isNFC(partial) else { return .notNormalized }
        return nil
    }

    /// Whether `scalar` may never appear in a name.
    ///
    /// Forbidden: C0 controls, DEL and C1 controls; `/ \ % ? # " < > | * :` (path, URL and shell
    /// metacharacters, and the characters Windows rejects); look-alike slashes and percent signs that
    /// compatibility normalisation (NFKC) would turn into `/`, `\` or `%`; and invisible formatting
    /// characters (zero-width space, soft hyphen, bidirectional marks and overrides, BOM) that can disguise an
    /// extension. The zero-width joiners U+200C/U+200D stay: emoji sequences and several scripts need them.
    package static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F:
            return true
        case 0x2F, 0x5C, 0x25, 0x3F, 0x23, 0x22, 0x3C, 0x3E, 0x7C, 0x2A, 0x3A:
            return true
        case 0x2044, 0x2215, 0x2216, 0x29F8, 0x29F9, 0xFE68, 0xFF0F, 0xFF3C, 0xFE6A, 0xFF05:
            return true
        case 0x00AD, 0x061C, 0x180E, 0x200B, 0x200E, 0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF:
            return true
        default:
            return false
        }
    }

    private static func characterViolation(of text: some StringProtocol) -> Violation? {
        var previousWasSpace = true  // a leading space counts as "after a space"
        var isFirst = true
        for scalar in text.unicodeScalars {
            if isForbidden(scalar) { return .forbiddenCharacter }
            if isFirst, scalar == "." { return .leadingDot }
            isFirst = false
            if scalar == " " {
                if previousWasSpace { return .irregularWhitespace }
                previousWasSpace = true
            } else if scalar.properties.isWhitespace {
                return .irregularWhitespace
            } else {
                previousWasSpace = false
            }
        }
        return nil
    }
}
