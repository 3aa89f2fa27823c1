import Logging

/// A multipart upload whose parts a client sends itself, through pre-signed UploadPart URLs (direct uploads):
/// storage starts it, reports which parts have arrived, and assembles them into one object.
///
/// ``S3ObjectStore`` speaks S3's own multipart calls; the local store's parts are assembled by the server.
package protocol MultipartStaging: Sendable {
    /// Starts a multipart upload to `key` with the store's server-side encryption; returns its upload id.
    func startMultipartUpload(key: String, contentType: String, logger: Logger) async throws(StorageError) -> String

    /// The parts that have arrived, by ascending number (ListParts).
    func uploadedParts(key: String, uploadID: String, logger: Logger) async throws(StorageError) -> [UploadedPart]

    /// Assembles `parts` (ascending, with the ETags their PUTs answered) into the object at `key`.
    func completeMultipartUpload(key: String, uploadID: String, parts: [UploadedPart], logger: Logger) async throws(StorageError)

    /// Abandons the upload and removes its parts; a missing upload is not an error.
    func abortMultipartUpload(key: String, uploadID: String, logger: Logger) async throws(StorageError)
}
