import Audit
import Foundation

/// One file `medvault import` brought in: where it came from, the SHA-256 of its bytes then, and the document it
/// became (migration `0016_document_imports`).
package struct DocumentImport: Sendable, Equatable {
    /// The manifest's `source`, as written there (a local path or `s3://bucket/key`).
    package let source: String
    /// Lowercase hex SHA-256 of the bytes imported.
    package let sha256: String
    package let documentID: UUID
    /// The document's key now (it may have moved since, e.g. to `archived/`).
    package let key: String
    package let importedAt: Date

    package init(source: String, sha256: String, documentID: UUID, key: String, importedAt: Date) {
        self.source = source
        self.sha256 = sha256
        self.documentID = documentID
        self.key = key
        self.importedAt = importedAt.roundedToMilliseconds
    }
}
