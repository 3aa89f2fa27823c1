import HTTPTypes
import ObjectStorage

/// The document store as the routes see it: ready, switched off by the feature flag, or required but
/// missing (production without S3). The routes ask for the store inside their audited section, so a 503
/// is recorded like any other refusal.
package enum StorageAccess: Sendable {
    case ready(any ObjectStore)
    /// `ENABLE_AWS_S3_STORAGE=false`.
    case disabled
    /// `MEDVAULT_ENV=production` without S3 settings.
    case notConfigured

    /// The store, or the 503 that explains why there is none.
    func store() throws(APIError) -> any ObjectStore {
        switch self {
        case .ready(let store):
            return store
        case .disabled:
            throw APIError(
                .serviceUnavailable,
                code: "storage_disabled",
                message: "Document storage is disabled (ENABLE_AWS_S3_STORAGE=false)."
            )
        case .notConfigured:
            throw APIError(
                .serviceUnavailable,
                code: "storage_not_configured",
                message: "Document storage is not configured: production requires S3 credentials and a bucket."
            )
        }
    }
}
