import Logging

extension S3Client {
    /// Keeps an object that a write just stored under `key` only if `response` confirms the encryption `requested`
    /// (``S3EncryptionEcho``). Otherwise the object is deleted and the write fails with `storage_failure`; a delete
    /// that fails too is logged at `.error` (the bucket then holds an object that no document row names, which
    /// reconciliation reports). The log names the operation and the headers, never the key.
    func confirmEncryption(
        of response: S3HTTPResponse,
        requested: [(name: String, value: String)],
        key: String,
        operation: String,
        logger: Logger
    ) async throws(StorageError) {
        guard let problem = S3EncryptionEcho.mismatch(requested: requested, response: response) else { return }
        logger.error(
            "S3 did not confirm the server-side encryption asked for; the object is deleted and the write fails",
            metadata: ["s3.operation": "\(operation)", "s3.sse": "\(problem)"]
        )
        let delete = S3Operation(name: "DeleteObject", method: "DELETE", key: key, isIdempotent: true, attemptTimeout: self.timeouts.request)
        // A task of its own: if the caller's task was cancelled (the client went away), the delete must still run.
        let client = self
        await Task {
            do throws(StorageError) {
                _ = try await client.performCollecting(delete, limit: S3Client.errorBodyLimit, logger: logger)
            } catch {
                logger.error("could not delete an object stored without the requested encryption", metadata: ["error": "\(error)"])
            }
        }.value
        throw .failure("The storage backend did not confirm the requested server-side encryption; the object was not kept.")
    }
}
