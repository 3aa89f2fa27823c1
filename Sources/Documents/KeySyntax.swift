import Foundation

/// The lexical rules shared by ``DocumentKey`` and ``KeyLayout/KeyPrefix`` parsing.
///
/// Everything works on UTF-8 bytes, never on `Character`s: a `/` followed by a combining mark is one
/// `Character` in Swift but still a delimiter to S3, so character-level splitting would disagree with the store.
enum KeySyntax {
    /// S3's key length limit, in UTF-8 bytes.
    static let maxKeyBytes = 1024
    static let archivedRoot = "archived"
    static let tempRoot = "temp"
    static let uuidLength = 36
    static let slash = UInt8(ascii: "/")

    /// Length, forbidden characters (`%`, `\`, C0, DEL, C1), normalisation and absoluteness.
    static func checkCharacters(_ raw: String, code: KeyLayoutError.Code) throws(KeyLayoutError) {
        guard raw.utf8.count <= maxKeyBytes else { throw KeyLayoutError(code, rule: .tooLong) }
        for scalar in raw.unicodeScalars {
            switch scalar.value {
            case 0x25: throw KeyLayoutError(code, rule: .percent)
            case 0x5C: throw KeyLayoutError(code, rule: .backslash)
            case 0x00...0x1F, 0x7F...0x9F: throw KeyLayoutError(code, rule: .controlCharacter)
            default: continue
            }
        }
        guard UnicodeNormalization.isNFC(raw) else { throw KeyLayoutError(code, rule: .notNormalized) }
        guard raw.utf8.first != slash else { throw KeyLayoutError(code, rule: .absolute) }
    }

    /// Splits on `/` bytes and rejects `.`/`..` segments and empty segments (a prefix may end with `/`,
    /// which leaves an empty last segment).
    static func segments(of raw: String, code: KeyLayoutError.Code, allowEmptyLast: Bool) throws(KeyLayoutError) -> [Substring] {
        let pieces = raw.utf8.split(separator: slash, omittingEmptySubsequences: false).map { Substring($0) }
        for (index, segment) in pieces.enumerated() {
            if segment.utf8.elementsEqual("..".utf8) { throw KeyLayoutError(code, rule: .dotDotSegment) }
            if segment.utf8.elementsEqual(".".utf8) { throw KeyLayoutError(code, rule: .dotSegment) }
            if segment.isEmpty, !(allowEmptyLast && index == pieces.count - 1) {
                throw KeyLayoutError(code, rule: .emptySegment)
            }
        }
        return pieces
    }

    /// Parses `{uuid}-{name}`: a lowercase canonical UUID, a dash, and a name that satisfies ``ObjectNameRule``.
    static func parseObjectName(_ segment: Substring, code: KeyLayoutError.Code) throws(KeyLayoutError) -> (UUID, String) {
        let bytes = Array(segment.utf8)
        guard bytes.count > uuidLength, isLowercaseUUIDPrefix(bytes[..<uuidLength]), bytes[uuidLength] == UInt8(ascii: "-"),
            let uuid = UUID(parsing: String(decoding: bytes[..<uuidLength], as: UTF8.self))
        else { throw KeyLayoutError(code, rule: .badUUID) }
        let name = String(decoding: bytes[(uuidLength + 1)...], as: UTF8.self)
        if let violation = ObjectNameRule.violation(of: name) { throw KeyLayoutError(code, rule: .badObjectName(violation)) }
        return (uuid, name)
    }

    /// Whether `bytes` (at most 36) match the start of a lowercase canonical UUID `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    static func isLowercaseUUIDPrefix(_ bytes: some Collection<UInt8>) -> Bool {
        guard bytes.count <= uuidLength else { return false }
        for (offset, byte) in bytes.enumerated() {
            switch offset {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return false }
            default:
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                else { return false }
            }
        }
        return true
    }

    /// The top-level segments a key may start with, entity roots first.
    static var allRoots: [String] { EntityType.allCases.map(\.rootFolder) + [tempRoot, archivedRoot] }
}
