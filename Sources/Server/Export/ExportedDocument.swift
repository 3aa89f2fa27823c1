import Persistence

/// A document once its bytes are in the archive: its row, where the archive holds it, the SHA-1 computed while
/// streaming (the FHIR bundle, written last, needs it), and the variants written after it.
struct ExportedDocument: Sendable {
    let record: DocumentRecord
    /// The entry's name in the archive (``EntityExport/path(of:)``).
    let path: String
    /// Base64 SHA-1 of the bytes, as FHIR R4's `Attachment.hash` is.
    let sha1Base64: String
    /// The document's stored variants, in the archive under `variants/{id}/`.
    let variants: [ExportedVariant]
}

/// A variant of a document in the archive (a `variants` entry of the manifest): what it is, where the archive holds
/// it, and its stored type, size and SHA-256 for the recipient to check.
struct ExportedVariant: Encodable, Sendable {
    let variant: String
    let path: String
    let contentType: String
    let size: Int64
    let sha256: String
}
