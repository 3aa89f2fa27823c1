/// What an audited request tried to do.
///
/// The raw values are what `audit_events.action` stores and what the chain hash covers, so they are a
/// contract: never rename one, only add. Names are `area.verb`; sign-in events will arrive as `auth.*` cases.
package enum AuditAction: String, CaseIterable, Sendable, Codable {
    /// A file was uploaded (one row per file of a multipart upload).
    case documentUpload = "document.upload"
    /// A document's bytes were streamed to the client.
    case documentDownload = "document.download"
    /// A pre-signed URL was handed out, which grants access without further checks until it expires.
    case documentPresign = "document.presign"
    /// A fetch through one of the local store's own pre-signed URLs (S3 fetches never reach medvault).
    case documentPresignedFetch = "document.presigned_fetch"
    /// A listing or search was requested; listings reveal file names, so they are audited too.
    case documentList = "document.list"
    /// A document was soft-deleted into `archived/`.
    case documentArchive = "document.archive"
    /// A document was removed permanently.
    case documentDelete = "document.delete"
    /// Storage statistics were read.
    case storageStats = "storage.stats"
    /// The storage configuration was read.
    case storageConfig = "storage.config"
    /// The self-check page exercised the storage backend.
    case storageSelftest = "storage.selftest"
}
