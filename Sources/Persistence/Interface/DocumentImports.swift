import Audit
import Foundation

/// What `medvault import` remembers of the files it brought in, so that running a manifest again skips them: each
/// imported file's source and SHA-256, and the document it became.
package protocol DocumentImports: Sendable {
    /// The files imported so far from `source`, oldest first (several when the file there changed between runs).
    func documentImports(source: String) async throws(PersistenceError) -> [DocumentImport]

    /// Inserts an imported document, records where it came from (`source`, the record's SHA-256, `date`) and writes
    /// its audit row, settling its upload intent like ``UploadIntents/insertUploadedDocuments(_:audit:)``, in one
    /// transaction. Throws ``PersistenceError/uploadAbandoned`` if the intent is missing or swept, and
    /// ``PersistenceError/keyConflict`` if the pair (source, SHA-256) was imported meanwhile.
    func insertImportedDocument(_ record: DocumentRecord, source: String, at date: Date, audit: AuditEntry) async throws(PersistenceError)
}
