import Foundation

/// An object key that follows medvault's key layout; the only way storage, access checks and the API refer
/// to a stored document.
///
/// Valid keys are `{root}/{entityId}/{folder}/{uuid}-{name}`, `temp/{uuid}-{name}` and
/// `archived/{valid non-archived key}`, where `root` is an ``EntityType/rootFolder``, `entityId` an
/// ``EntityID``, `folder` one of ``FileCategory/allFolders``, `uuid` a lowercase canonical UUID and `name`
/// satisfies ``ObjectNameRule``. Anything else is rejected, so a value of this type can be handed to the store
/// and to the access policy without further checks (DESIGN.md, "Key layout").
///
/// - important: Keys are never percent-decoded: any `%` is rejected, so `%2e%2e` and double encoding cannot
///   smuggle a `..` past the parser. Equality is byte equality (keys are NFC, so `==` on the raw value agrees).
package struct DocumentKey: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The key exactly as stored in the bucket.
    package let rawValue: String
    /// Where the key sits in the layout; access decisions are made from this, never from string prefixes.
    package let location: Location
    /// The document id, the UUID at the start of the object name.
    package let documentID: UUID
    /// The sanitised file name after `{uuid}-`.
    package let fileName: String

    init(rawValue: String, location: Location, documentID: UUID, fileName: String) {
        self.rawValue = rawValue
        self.location = location
        self.documentID = documentID
        self.fileName = fileName
    }

    /// Parses and validates `raw`, so an untrusted key (query string, JSON body, listing) can be used safely.
    ///
    /// - Throws: ``KeyLayoutError`` with code `invalid_key` and a message naming the rule that was broken.
    package init(parsing raw: String) throws(KeyLayoutError) {
        guard !raw.isEmpty else { throw KeyLayoutError(.invalidKey, rule: .empty) }
        try KeySyntax.checkCharacters(raw, code: .invalidKey)
        let segments = try KeySyntax.segments(of: raw, code: .invalidKey, allowEmptyLast: false)
        self = try Self.parse(raw: raw, segments: segments[...], allowArchived: true)
    }

    private static func parse(raw: String, segments: ArraySlice<Substring>, allowArchived: Bool) throws(KeyLayoutError) -> DocumentKey {
        guard let root = segments.first.map(String.init) else { throw KeyLayoutError(.invalidKey, rule: .wrongShape) }
        if root == KeySyntax.archivedRoot {
            guard allowArchived else { throw KeyLayoutError(.invalidKey, rule: .nestedArchive) }
            guard segments.count > 1 else { throw KeyLayoutError(.invalidKey, rule: .wrongShape) }
            let originalRaw = String(decoding: raw.utf8.dropFirst(root.utf8.count + 1), as: UTF8.self)
            let original = try parse(raw: originalRaw, segments: segments.dropFirst(), allowArchived: false)
            return DocumentKey(rawValue: raw, location: .archived(original: original), documentID: original.documentID, fileName: original.fileName)
        }
        if root == KeySyntax.tempRoot {
            guard segments.count == 2, let objectName = segments.last else { throw KeyLayoutError(.invalidKey, rule: .wrongShape) }
            let (uuid, name) = try KeySyntax.parseObjectName(objectName, code: .invalidKey)
            return DocumentKey(rawValue: raw, location: .temp, documentID: uuid, fileName: name)
        }
        guard let entityType = EntityType(rootFolder: root) else { throw KeyLayoutError(.invalidKey, rule: .foreignPrefix) }
        guard segments.count == 4 else { throw KeyLayoutError(.invalidKey, rule: .wrongShape) }
        let start = segments.startIndex
        guard EntityID.isValid(String(segments[start + 1])) else { throw KeyLayoutError(.invalidKey, rule: .badEntityID) }
        let entityID = EntityID(unchecked: String(segments[start + 1]))
        let folder = String(segments[start + 2])
        guard FileCategory.allFolders.contains(folder) else { throw KeyLayoutError(.invalidKey, rule: .unknownFolder) }
        let (uuid, name) = try KeySyntax.parseObjectName(segments[start + 3], code: .invalidKey)
        return DocumentKey(rawValue: raw, location: .entity(entityType, entityID, folder: folder), documentID: uuid, fileName: name)
    }

    /// The last segment, `{uuid}-{name}`.
    package var objectName: String { "\(documentID.lowercaseText)-\(fileName)" }

    /// Keys are equal when their bytes are equal; everything else is derived from the raw value.
    package static func == (lhs: DocumentKey, rhs: DocumentKey) -> Bool { lhs.rawValue == rhs.rawValue }

    /// Hashes the raw value only, consistent with `==`.
    package func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// Decodes a key from a JSON string, validating it like any other input.
    package init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: raw)
    }

    /// Encodes the raw key as a JSON string.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// A redacted rendering for logs: structure and document id, but no entity id and no file name.
    package var description: String {
        switch location {
        case .entity(let type, _, let folder): "\(type.rootFolder)/…/\(folder)/\(documentID.lowercaseText)-…"
        case .temp: "temp/\(documentID.lowercaseText)-…"
        case .archived(let original): "archived/\(original.description)"
        }
    }
}
