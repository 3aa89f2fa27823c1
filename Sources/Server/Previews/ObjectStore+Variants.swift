import Logging
import ObjectStorage

extension ObjectStore {
    /// The metadata of the object at `key`, or nil when there is none: a missing variant is an answer, not a failure.
    func headIfPresent(key: String, logger: Logger) async throws(StorageError) -> ObjectInfo? {
        do {
            return try await head(key: key, logger: logger)
        } catch {
            if error.code == StorageError.notFound().code { return nil }
            throw error
        }
    }
}
