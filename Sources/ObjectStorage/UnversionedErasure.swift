import Logging

/// Erasure in a store that keeps no versions (the local store, an S3 bucket without versioning): deleting an object
/// removes it for good, so erasing is deleting what is there and counting it.
enum UnversionedErasure {
    /// Deletes the object at `key` if there is one.
    static func erase(key: String, in store: some ObjectStore, logger: Logger) async throws(StorageError) -> ErasedObjects {
        do {
            _ = try await store.head(key: key, logger: logger)
        } catch  where error.code == "not_found" {
            return ErasedObjects()
        }
        try await store.delete(key: key, logger: logger)
        return ErasedObjects(objects: 1)
    }

    /// Deletes every object whose key starts with `prefix`, a listing page at a time (deleting behind the cursor does
    /// not disturb a key-ordered listing).
    static func erase(prefix: String, in store: some ObjectStore, logger: Logger) async throws(StorageError) -> ErasedObjects {
        var erased = ErasedObjects()
        var token: String?
        repeat {
            let page = try await store.list(prefix: prefix, continuationToken: token, maxKeys: 1000, logger: logger)
            for object in page.objects {
                try await store.delete(key: object.key, logger: logger)
                erased.objects += 1
            }
            token = page.nextContinuationToken
        } while token != nil
        return erased
    }
}
