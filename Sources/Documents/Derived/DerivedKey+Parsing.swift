import Foundation

extension DerivedKey {
    /// Parses a derived key exactly as ``init(documentID:variant:)`` spells it (`derived/{lowercase id}/{variant}`), for
    /// the local store's pre-signed URLs; nil for anything else, so a derived key is never mistaken for a document's.
    package init?(parsing text: String) {
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 3, segments[0] == Substring(Self.root), let id = UUID(parsing: String(segments[1])),
            let variant = DocumentVariant(rawValue: String(segments[2]))
        else { return nil }
        self.init(documentID: id, variant: variant)
        guard rawValue == text else { return nil }
    }
}
