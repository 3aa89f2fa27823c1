import Persistence

/// Whether a manifest row's file is imported or skipped, from what earlier runs imported from its source: a source is
/// skipped when a file with the same SHA-256 came from it before, and imported anew when it never did or when the file
/// there changed (then the earlier document stays, and the new bytes become another one).
///
/// Pure, so that the rule is tested alone. A source never imported needs no digest: its file is imported in one pass,
/// and the digest the import computes is recorded. A source imported before is hashed first (a reading pass), then
/// decided.
enum ImportDecision: Equatable {
    /// Import the file.
    case importFile
    /// Hash the file first, then decide with ``init(previous:sha256:)``.
    case hashFirst
    /// The same bytes were imported from this source already, as this document.
    case skip(DocumentImport)

    /// The decision before the file is read.
    init(previous: [DocumentImport]) {
        self = previous.isEmpty ? .importFile : .hashFirst
    }

    /// The decision once the file's digest is known.
    init(previous: [DocumentImport], sha256: String) {
        if let same = previous.first(where: { $0.sha256 == sha256.lowercased() }) {
            self = .skip(same)
        } else {
            self = .importFile
        }
    }
}
