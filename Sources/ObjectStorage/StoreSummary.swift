/// What a store is and where it keeps data, for `GET /api/v2/aws/s3/config` and the self-check page.
/// - important: Never holds a secret (no access key, no master key): it is shown to admins and clients.
package struct StoreSummary: Sendable, Codable, Equatable {
    /// `local` or `s3`.
    package var backend: String
    /// The data directory for the local store; the endpoint host and bucket for S3.
    package var location: String
    /// The S3 region; nil for the local store.
    package var region: String?
    /// A description of encryption at rest, e.g. `AES-256-GCM at rest`.
    package var encryption: String

    /// Builds a summary.
    package init(backend: String, location: String, region: String?, encryption: String) {
        self.backend = backend
        self.location = location
        self.region = region
        self.encryption = encryption
    }
}
