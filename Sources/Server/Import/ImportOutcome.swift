import Foundation

/// What became of one manifest row: a line of the import's report.
package struct ImportOutcome: Sendable, Equatable {
    package enum Status: String, Sendable {
        /// Stored, indexed and audited as a new document.
        case imported
        /// The same bytes were imported from this source before: ``ImportOutcome/documentID`` is that document.
        case skipped
        /// Not imported: ``ImportOutcome/code`` says why.
        case refused
        /// `--dry-run`: passes every check and would be imported.
        case wouldImport = "would_import"
        /// `--dry-run`: would be skipped as imported before.
        case wouldSkip = "would_skip"
    }

    package let row: ManifestRow
    package let status: Status
    package var documentID: UUID?
    package var key: String?
    /// The refusal's code (``ImportRefusal/code`` or the upload API's).
    package var code: String?
    /// What the refusal's code means for this file, as the upload API says it (never the file's name or values).
    package var message: String?
    /// Lowercase hex SHA-256 of the bytes read, when they were read to the end.
    package var sha256: String?

    init(row: ManifestRow, status: Status, documentID: UUID? = nil, key: String? = nil, sha256: String? = nil) {
        self.row = row
        self.status = status
        self.documentID = documentID
        self.key = key
        self.sha256 = sha256
    }

    /// A refused row.
    init(row: ManifestRow, refusal: ImportRefusal) {
        self.init(row: row, status: .refused)
        self.code = refusal.code
        self.message = refusal.message
    }

    /// Whether the row counts against the run (exit status 1).
    package var isRefusal: Bool { status == .refused }
}
