import Logging

extension LocalObjectStore {
    /// The local store keeps no versions: erasing is deleting.
    package func erase(key: String, logger: Logger) async throws(StorageError) -> ErasedObjects {
        try await UnversionedErasure.erase(key: key, in: self, logger: logger)
    }

    /// Deletes every object under `prefix`.
    package func erase(prefix: String, logger: Logger) async throws(StorageError) -> ErasedObjects {
        try await UnversionedErasure.erase(prefix: prefix, in: self, logger: logger)
    }
}
