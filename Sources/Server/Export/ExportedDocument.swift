import Persistence

/// A document once its bytes are in the archive: its row, where the archive holds it, and the SHA-1 computed while
/// streaming (the FHIR bundle, written last, needs it).
struct ExportedDocument: Sendable {
    let record: DocumentRecord
    /// The entry's name in the archive (``EntityExport/path(of:)``).
    let path: String
    /// Base64 SHA-1 of the bytes, as FHIR R4's `Attachment.hash` is.
    let sha1Base64: String
}
