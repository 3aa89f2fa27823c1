extension KeyLayout {
    /// A validated `prefix` for listing (`GET /api/v2/aws/s3/list?prefix=`).
    ///
    /// Valid prefixes are the empty string and every prefix of a valid key: `patients/`, `patients/P1/`,
    /// `patients/P1/forms/`, `patients/P1/forms/3f2a` and so on, also behind `archived/`. Complete segments
    /// (those followed by `/`) must be valid for their position; the last, partial segment must be the start
    /// of something valid there (a root or folder name, entity-id characters, a UUID and file name). So a
    /// prefix can never reach objects outside the layout, and never contains `..`, `%`, `\` or control characters.
    package struct KeyPrefix: Hashable, Sendable, CustomStringConvertible {
        /// The prefix exactly as given; pass it to the store's list call.
        package let rawValue: String
        /// What the prefix can reach, from its complete segments; the access policy decides on this.
        package let reach: Reach
        /// The folder the prefix stays inside when it names one entity's folder completely
        /// (`providers/E1/therapy-media/…`), else `nil`: the media folders have access rules of their own.
        package let folder: String?

        /// The empty prefix, which lists everything.
        package static let all = KeyPrefix(rawValue: "", reach: .broad, folder: nil)

        private init(rawValue: String, reach: Reach, folder: String?) {
            self.rawValue = rawValue
            self.reach = reach
            self.folder = folder
        }

        /// Parses and validates `raw`, so user input can be passed to the store's list call.
        ///
        /// - Throws: ``KeyLayoutError`` with code `invalid_prefix` and a message naming the broken rule.
        package init(parsing raw: String) throws(KeyLayoutError) {
            guard !raw.isEmpty else {
                self = .all
                return
            }
            try KeySyntax.checkCharacters(raw, code: .invalidPrefix)
            let segments = try KeySyntax.segments(of: raw, code: .invalidPrefix, allowEmptyLast: true)
            var position = Position.root(archivedAllowed: true)
            for segment in segments.dropLast() {
                position = try position.advance(past: segment)
            }
            if let partial = segments.last { try position.checkPartial(partial) }
            let complete = segments.dropLast()
            let reach = Reach(completeSegments: complete)
            let folder: String? =
                if case .entity = reach, complete.count >= 3 { String(complete[complete.startIndex + 2]) } else { nil }
            self.init(rawValue: raw, reach: reach, folder: folder)
        }

        /// Whether `key` starts with this prefix, byte for byte (what S3's `ListObjectsV2` does).
        package func contains(_ key: DocumentKey) -> Bool {
            key.rawValue.utf8.starts(with: rawValue.utf8)
        }

        /// A redacted rendering for logs (the length only): a prefix usually contains an entity id.
        package var description: String { "KeyPrefix(\(rawValue.utf8.count) bytes)" }
    }
}

extension KeyLayout.KeyPrefix {
    /// The part of the layout a prefix can reach, judged from its complete segments only (those followed by a
    /// `/`), so that `patients/P1` (which also matches `patients/P10/…`) is ``broad`` while `patients/P1/` is
    /// ``entity(_:_:)``.
    package enum Reach: Hashable, Sendable {
        /// No complete entity segment: the prefix can match documents of many entities (or none).
        case broad
        /// Only documents of this entity: `{root}/{entityId}/…`.
        case entity(EntityType, EntityID)
        /// Temporary uploads under `temp/`.
        case temp
        /// Soft-deleted documents under `archived/`.
        case archived

        /// Derives the reach from segments that already passed validation.
        init(completeSegments segments: ArraySlice<Substring>) {
            guard let root = segments.first.map(String.init) else {
                self = .broad
                return
            }
            if root == KeySyntax.archivedRoot {
                self = .archived
            } else if root == KeySyntax.tempRoot {
                self = .temp
            } else if let type = EntityType(rootFolder: root), segments.count >= 2 {
                self = .entity(type, EntityID(unchecked: String(segments[segments.startIndex + 1])))
            } else {
                self = .broad
            }
        }
    }

    /// Which segment of a key comes next while walking a prefix.
    private enum Position {
        case root(archivedAllowed: Bool)
        case entityID
        case folder
        case objectName

        func advance(past segment: Substring) throws(KeyLayoutError) -> Position {
            let text = String(segment)
            switch self {
            case .root(let archivedAllowed):
                if text == KeySyntax.archivedRoot {
                    guard archivedAllowed else { throw KeyLayoutError(.invalidPrefix, rule: .nestedArchive) }
                    return .root(archivedAllowed: false)
                }
                if text == KeySyntax.tempRoot { return .objectName }
                guard EntityType(rootFolder: text) != nil else { throw KeyLayoutError(.invalidPrefix, rule: .foreignPrefix) }
                return .entityID
            case .entityID:
                guard EntityID.isValid(text) else { throw KeyLayoutError(.invalidPrefix, rule: .badEntityID) }
                return .folder
            case .folder:
                guard FileCategory.allFolders.contains(text) else { throw KeyLayoutError(.invalidPrefix, rule: .unknownFolder) }
                return .objectName
            case .objectName:
                // An object name is the last segment; nothing can follow it.
                throw KeyLayoutError(.invalidPrefix, rule: .wrongShape)
            }
        }

        func checkPartial(_ partial: Substring) throws(KeyLayoutError) {
            switch self {
            case .root(let archivedAllowed):
                let roots = KeySyntax.allRoots.filter { archivedAllowed || $0 != KeySyntax.archivedRoot }
                guard roots.contains(where: { $0.utf8.starts(with: partial.utf8) }) else {
                    throw KeyLayoutError(.invalidPrefix, rule: archivedAllowed ? .foreignPrefix : .nestedArchive)
                }
            case .entityID:
                guard partial.utf8.count <= EntityID.maxLength, partial.utf8.allSatisfy(EntityID.isAllowedByte) else {
                    throw KeyLayoutError(.invalidPrefix, rule: .badEntityID)
                }
            case .folder:
                guard FileCategory.allFolders.contains(where: { $0.utf8.starts(with: partial.utf8) }) else {
                    throw KeyLayoutError(.invalidPrefix, rule: .unknownFolder)
                }
            case .objectName:
                try Self.checkPartialObjectName(partial)
            }
        }

        private static func checkPartialObjectName(_ partial: Substring) throws(KeyLayoutError) {
            let bytes = Array(partial.utf8)
            let uuidPart = bytes.prefix(KeySyntax.uuidLength)
            guard KeySyntax.isLowercaseUUIDPrefix(uuidPart) else { throw KeyLayoutError(.invalidPrefix, rule: .badUUID) }
            guard bytes.count > KeySyntax.uuidLength else { return }
            guard bytes[KeySyntax.uuidLength] == UInt8(ascii: "-") else { throw KeyLayoutError(.invalidPrefix, rule: .badUUID) }
            let name = String(decoding: bytes[(KeySyntax.uuidLength + 1)...], as: UTF8.self)
            if let violation = ObjectNameRule.prefixViolation(of: name) {
                throw KeyLayoutError(.invalidPrefix, rule: .badObjectName(violation))
            }
        }
    }
}
