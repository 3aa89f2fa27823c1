/// A validated identifier of a patient, provider, appointment or prescription, safe to use as a key segment.
///
/// The rule is deliberately narrow: 1 to 64 ASCII characters from `A-Z`, `a-z`, `0-9`, `_` and `-`
/// (case-sensitive). That admits UUIDs, database ids and slugs, and excludes everything that could change
/// the meaning of a key: `/`, `.` (so no `..`), `%`, whitespace, and Unicode look-alikes such as `．` or `／`.
///
/// - important: ``description`` is redacted because an entity id identifies a patient; build keys and
///   queries from ``rawValue``, never from string interpolation of the value.
package struct EntityID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The maximum length, in characters (all ASCII, so also bytes).
    package static let maxLength = 64

    /// The validated identifier, exactly as given.
    package let rawValue: String

    /// Validates `raw` against the entity-id rule, so that no unchecked string ever becomes a key segment.
    ///
    /// - Throws: ``KeyLayoutError`` with code `invalid_entity_id` when `raw` is empty, too long, or contains a
    ///   character outside `[A-Za-z0-9_-]`.
    package init(validating raw: String) throws(KeyLayoutError) {
        guard Self.isValid(raw) else { throw KeyLayoutError(.invalidEntityID, rule: .badEntityID) }
        self.rawValue = raw
    }

    /// For values already checked with ``isValid(_:)``.
    init(unchecked raw: String) {
        self.rawValue = raw
    }

    /// Decodes and validates an id, so JSON input passes the same rule as any other input.
    package init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        try self.init(validating: raw)
    }

    /// Encodes the id as a plain string.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// A redacted description, so an id interpolated into a log line does not leak who the document is about.
    package var description: String { "EntityID(redacted)" }

    static func isValid(_ raw: String) -> Bool {
        let bytes = raw.utf8
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        return bytes.allSatisfy(isAllowedByte)
    }

    /// Whether `byte` may appear in an entity id; also used to validate a partial id in a list prefix.
    static func isAllowedByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
