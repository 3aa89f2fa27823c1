import Logging

extension LocalObjectStore {
    /// The local store has no storage classes: the class is only recorded in the index, so this checks that the object
    /// is there and changes nothing.
    package func changeStorageClass(key: String, to storageClass: String, logger: Logger) async throws(StorageError) {
        _ = try await head(key: key, logger: logger)
    }
}
