import Logging

/// What a storage backend must do for medvault: the server talks only to this protocol, and the
/// composition root picks ``LocalObjectStore`` or the S3 store behind it (DESIGN.md, "Storage backends").
///
/// Keys arrive already validated by `KeyLayout`; backends still refuse a key they cannot store safely.
/// Every call takes the request's logger so that the request id follows the work; backends log object
/// keys (which carry patient ids) at debug level only.
package protocol ObjectStore: Sendable {
    /// What the store is and where it keeps data, for `/config` and the self-check page; never a secret.
    var summary: StoreSummary { get }

    /// Starts a streaming upload to `key`; nothing is visible under the key until the writer's `finish`.
    func makeWriter(key: String, contentType: String, logger: Logger) async throws(StorageError) -> any ObjectWriter

    /// Opens the object for streaming, whole or the inclusive byte `range` (already validated by the
    /// caller against the object's size, RFC 9110 §14).
    func read(key: String, range: ClosedRange<Int64>?, logger: Logger) async throws(StorageError) -> ObjectStream

    /// The object's metadata without its bytes; `not_found` when it does not exist.
    func head(key: String, logger: Logger) async throws(StorageError) -> ObjectInfo

    /// Removes the object permanently; deleting a missing key is not an error.
    func delete(key: String, logger: Logger) async throws(StorageError)

    /// Removes the object at `key` for good: in a bucket with versioning (on or suspended), every version and delete
    /// marker of exactly that key as well, so nothing of it can be restored; elsewhere what ``delete(key:logger:)``
    /// does. For permanent deletes and erasures; an archive (a move) keeps versions. A missing key erases nothing.
    func erase(key: String, logger: Logger) async throws(StorageError) -> ErasedObjects

    /// ``erase(key:logger:)`` for every key that starts with `prefix` (an entity's folder), in constant memory.
    func erase(prefix: String, logger: Logger) async throws(StorageError) -> ErasedObjects

    /// Removes whatever an upload to `key` may have left behind: the object, if it was published, and any upload still
    /// incomplete (an S3 multipart upload). For uploads abandoned by a crash or a failure whose own clean-up could not
    /// run; missing pieces are not an error.
    func removeAbandonedUpload(key: String, logger: Logger) async throws(StorageError)

    /// Moves an object to another key (soft delete into `archived/`); `not_found` when `from` is missing,
    /// and an existing object at `to` is replaced.
    func move(from: String, to: String, logger: Logger) async throws(StorageError)

    /// Moves the object at `key` to the storage class `storageClass` (a lifecycle transition), keeping its bytes,
    /// metadata and encryption; `not_found` when it is missing. A store without storage classes does nothing.
    func changeStorageClass(key: String, to storageClass: String, logger: Logger) async throws(StorageError)

    /// One page of the objects whose keys start with `prefix`, sorted by key (UTF-8 byte order, as S3 does).
    /// For reconciliation and the self-check only; the API's list reads the database.
    func list(prefix: String, continuationToken: String?, maxKeys: Int, logger: Logger) async throws(StorageError) -> ObjectListing
}
