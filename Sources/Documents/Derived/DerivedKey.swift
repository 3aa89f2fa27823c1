import Foundation

/// Where a document's variants live: `derived/{documentId}/{variant}` (DESIGN.md, "Key layout").
///
/// Keyed by the document's id, not its key, so a variant stays where it is when its document is archived or
/// restored; a permanent delete or an erasure removes the whole ``folder(of:)``. The key carries no extension:
/// the stored object's content type says what the variant is. Derived keys never parse as document keys, so
/// `download?key=` cannot reach them; they are served only through their document's access decision.
package struct DerivedKey: Hashable, Sendable, CustomStringConvertible {
    /// The first segment of every derived key.
    package static let root = "derived"

    /// The object key, e.g. `derived/0f8fad5b-d9cb-469f-a165-70867728950e/thumbnail`.
    package let rawValue: String
    /// The document the variant belongs to.
    package let documentID: UUID
    /// Which rendition this is.
    package let variant: DocumentVariant

    package init(documentID: UUID, variant: DocumentVariant) {
        self.documentID = documentID
        self.variant = variant
        rawValue = "\(Self.folder(of: documentID))\(variant.rawValue)"
    }

    /// The prefix holding every variant of a document, `derived/{documentId}/`, for listing and removing them.
    package static func folder(of documentID: UUID) -> String {
        "\(root)/\(documentID.lowercaseText)/"
    }

    package var description: String { rawValue }
}
