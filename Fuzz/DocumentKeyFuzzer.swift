import Documents

/// libFuzzer's entry point for the `document-key` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocumentKey(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    DocumentKeyFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Fuzzes the key layout's parsers: document keys, list prefixes and entity ids, all fed the input as UTF-8 text.
///
/// Invariants, besides never crashing or hanging:
/// - a key that parses keeps its text, and building it again from its parts (``KeyLayout``) gives the same text;
///   archiving it gives a key that parses back to the same;
/// - every prefix of a valid key is a valid list prefix that contains the key;
/// - a valid prefix has no `.` or `..` segment, no `%`, `\` or control character, does not start with `/`, and its
///   reach agrees with its text;
/// - a valid entity id is 1…64 characters of `A-Z a-z 0-9 _ -`.
enum DocumentKeyFuzzer {
    static func run(_ data: UnsafeRawBufferPointer) {
        let raw = String(decoding: data, as: UTF8.self)
        if let key = try? DocumentKey(parsing: raw) { check(key, raw: raw) }
        if let prefix = try? KeyLayout.KeyPrefix(parsing: raw) { check(prefix) }
        if let entityID = try? EntityID(validating: raw) {
            invariant(entityID.rawValue == raw, "an entity id changed its text")
            invariant((1...EntityID.maxLength).contains(raw.utf8.count), "an entity id of \(raw.utf8.count) bytes")
            invariant(raw.utf8.allSatisfy(isEntityIDByte), "an entity id with a forbidden character")
        }
    }

    private static func check(_ key: DocumentKey, raw: String) {
        invariant(key.rawValue == raw, "a key changed its text")
        invariant(rebuilt(key)?.rawValue == raw, "the key built again from its parts is \(String(describing: rebuilt(key)))")
        invariant(ObjectNameRule.violation(of: key.fileName) == nil, "a key's file name breaks the object name rule")
        let lastSegment = raw.utf8.split(separator: UInt8(ascii: "/")).last.map { String(decoding: $0, as: UTF8.self) }
        invariant(key.objectName == lastSegment, "the object name is not the last segment")
        let archived = KeyLayout.archivedKey(for: key)
        invariant((try? DocumentKey(parsing: archived.rawValue)) == archived, "the archived key does not parse back")
        // Every prefix of a short key; about 64 of a long one (each check is linear, and keys reach 1024 bytes).
        let ends = Array(raw.unicodeScalars.indices.dropFirst()) + [raw.endIndex]
        for end in stride(from: ends.count - 1, through: 0, by: -max(1, ends.count / 64)).map({ ends[$0] }) {
            let text = String(raw.unicodeScalars[..<end])
            guard let prefix = try? KeyLayout.KeyPrefix(parsing: text) else {
                invariant(false, "a prefix of a valid key (\(text.utf8.count) of \(raw.utf8.count) bytes) is not a valid prefix")
                return
            }
            invariant(prefix.contains(key), "a prefix does not contain the key it was cut from")
        }
    }

    /// The key made again by ``KeyLayout``, the only place keys are built, from what parsing found in it.
    private static func rebuilt(_ key: DocumentKey) -> DocumentKey? {
        switch key.location {
        case .entity(let type, let entityID, let folder):
            guard let category = FileCategory.allCases.first(where: { $0.folder == folder }) else { return nil }
            return KeyLayout.documentKey(
                entityType: type,
                entityID: entityID,
                category: category,
                documentID: key.documentID,
                fileName: key.fileName
            )
        case .temp:
            return KeyLayout.tempKey(documentID: key.documentID, fileName: key.fileName)
        case .archived(let original):
            return rebuilt(original).map(KeyLayout.archivedKey(for:))
        }
    }

    private static func check(_ prefix: KeyLayout.KeyPrefix) {
        let raw = prefix.rawValue
        let segments = raw.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        invariant(!segments.contains { $0.elementsEqual("..".utf8) || $0.elementsEqual(".".utf8) }, "a prefix with a dot segment")
        invariant(raw.utf8.first != UInt8(ascii: "/"), "an absolute prefix")
        let forbidden = raw.unicodeScalars.contains { scalar in
            scalar == "%" || scalar == "\\" || scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
        }
        invariant(!forbidden, "a prefix with %, \\ or a control character")
        switch prefix.reach {
        case .entity(let type, let entityID):
            let start = "\(type.rootFolder)/\(entityID.rawValue)/"
            invariant(raw.utf8.starts(with: start.utf8), "an entity reach that the text does not start with")
        case .temp:
            invariant(raw.utf8.starts(with: "temp/".utf8), "a temp reach outside temp/")
        case .archived:
            invariant(raw.utf8.starts(with: "archived/".utf8), "an archived reach outside archived/")
        case .broad:
            break
        }
    }

    private static func isEntityIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
