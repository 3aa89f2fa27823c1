import Foundation

/// Builds keys under medvault's layout; the only place new keys are made (DESIGN.md, "Key layout").
///
/// Building is total: every sanitised file name yields a valid ``DocumentKey``, so the upload path has no
/// error case between "the name is sanitised" and "the key exists". The UUID is an input, never generated here.
package enum KeyLayout {
    /// The name used when a caller passes a name that is not sanitised; keeps the builders total.
    static let fallbackFileName = "file"

    /// The key of a new document: `{root}/{entityId}/{folder}/{uuid}-{name}`.
    ///
    /// `fileName` must already be sanitised (`FileNameSanitizer.sanitize`). A name that breaks
    /// ``ObjectNameRule`` is replaced by `file` rather than producing an invalid key.
    package static func documentKey(
        entityType: EntityType,
        entityID: EntityID,
        category: FileCategory,
        documentID: UUID,
        fileName: String
    ) -> DocumentKey {
        let name = checkedName(fileName)
        let folder = category.folder
        let raw = "\(entityType.rootFolder)/\(entityID.rawValue)/\(folder)/\(documentID.lowercaseText)-\(name)"
        return DocumentKey(rawValue: raw, location: .entity(entityType, entityID, folder: folder), documentID: documentID, fileName: name)
    }

    /// The key of a temporary upload: `temp/{uuid}-{name}`; same naming rules as ``documentKey(entityType:entityID:category:documentID:fileName:)``.
    package static func tempKey(documentID: UUID, fileName: String) -> DocumentKey {
        let name = checkedName(fileName)
        let raw = "\(KeySyntax.tempRoot)/\(documentID.lowercaseText)-\(name)"
        return DocumentKey(rawValue: raw, location: .temp, documentID: documentID, fileName: name)
    }

    /// The key a soft-deleted document moves to: `archived/{key}`.
    ///
    /// An already archived key is returned unchanged, because `archived/archived/…` is not a valid key and
    /// archiving twice must not lose the document.
    package static func archivedKey(for key: DocumentKey) -> DocumentKey {
        if case .archived = key.location { return key }
        return DocumentKey(
            rawValue: "\(KeySyntax.archivedRoot)/\(key.rawValue)",
            location: .archived(original: key),
            documentID: key.documentID,
            fileName: key.fileName
        )
    }

    private static func checkedName(_ fileName: String) -> String {
        ObjectNameRule.violation(of: fileName) == nil ? fileName : fallbackFileName
    }
}
