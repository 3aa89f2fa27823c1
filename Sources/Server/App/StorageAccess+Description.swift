import ObjectStorage

extension StorageAccess {
    /// The backend as the pages' header badge shows it: "local store", or "S3 · host" with the endpoint's host.
    var badge: String {
        switch self {
        case .ready(let store): store.summary.backend == "local" ? "local store" : "S3 · \(store.summary.location)"
        case .disabled: "storage disabled"
        case .notConfigured: "storage not configured"
        }
    }

    /// The backend as the start-up log line names it.
    var logDescription: String {
        switch self {
        case .ready(let store): "\(store.summary.backend) (\(store.summary.location))"
        case .disabled: "disabled by ENABLE_AWS_S3_STORAGE"
        case .notConfigured: "not configured (production requires S3)"
        }
    }
}
