import Audit
import Foundation

/// What `medvault import` remembers of the files it brought in, so that running a manifest again skips them: each
/// imported file's source and SHA-256, and the document it became.
package protocol DocumentImports: Sendable {
    /// The files imported so far from `source`, oldest first (several when the file there changed between runs).
    func documentImports(source: String) async throws(PersistenceError) -> [DocumentImport]

    /// Inserts an imported document, records where it came from (`source`, `sourceSHA256`, `date`) and writes
    /// its audit row, settling its upload intent like ``UploadIntents/insertUploadedDocuments(_:audit:)``, in one
    /// transaction. Throws ``PersistenceError/uploadAbandoned`` if the intent is missing or swept, and
    /// ``PersistenceError/keyConflict`` if the pair (source, SHA-256) was imported meanwhile.
    ///
    /// `sourceSHA256` is the digest of the file as read from the source, which differs from the record's (that of the
    /// stored bytes) when an image's metadata was stripped: the next run hashes the source, not the stored object.
    func insertImportedDocument(
        _ record: DocumentRecord,
        source: String,
        sourceSHA256: String,
        at date: Date,
        audit: AuditEntry
    ) async throws(PersistenceError)
}
