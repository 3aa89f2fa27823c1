import HTTPTypes
import ObjectStorage

extension StorageAccess {
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
