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

    /// The fresh key a document moves to when its URLs are revoked on a backend that cannot check when a URL was
    /// signed (S3): the same place and file name under a new object UUID, so every URL for the old key finds nothing.
    /// An archived key stays archived. The document's id does not change; only the key's UUID differs from it.
    package static func revokedKey(for key: DocumentKey, objectID: UUID) -> DocumentKey {
        let name = "\(objectID.lowercaseText)-\(key.fileName)"
        switch key.location {
        case .entity(let entityType, let entityID, let folder):
            let raw = "\(entityType.rootFolder)/\(entityID.rawValue)/\(folder)/\(name)"
            return DocumentKey(rawValue: raw, location: key.location, documentID: objectID, fileName: key.fileName)
        case .temp:
            return DocumentKey(rawValue: "\(KeySyntax.tempRoot)/\(name)", location: .temp, documentID: objectID, fileName: key.fileName)
        case .archived(let original):
            return archivedKey(for: revokedKey(for: original, objectID: objectID))
        }
    }

    private static func checkedName(_ fileName: String) -> String {
        ObjectNameRule.violation(of: fileName) == nil ? fileName : fallbackFileName
    }
}
