import Logging
import NIOCore

/// S3's multipart calls for parts a client uploads itself through pre-signed UploadPart URLs (direct uploads).
extension S3ObjectStore: MultipartStaging {
    /// CreateMultipartUpload with the content type and SSE headers, which the parts inherit; not retried, because a
    /// repeated call would start a second upload.
    package func startMultipartUpload(key: String, contentType: String, logger: Logger) async throws(StorageError) -> String {
        try Self.checkKey(key)
        let operation = S3Operation(
            name: "CreateMultipartUpload",
            method: "POST",
            key: key,
            query: [("uploads", "")],
            headers: [("content-type", contentType)] + self.configuration.serverSideEncryptionHeaders,
            body: ByteBuffer(),
            isIdempotent: false,
            attemptTimeout: self.configuration.timeouts.request
        )
        let body = try await self.client.performCollecting(operation, limit: S3Client.errorBodyLimit, logger: logger).body
        do {
            return try S3Documents.uploadID(body)
        } catch {
            throw self.client.finalError(
                .unexpected("The storage backend did not start the upload.", underlying: error),
                operation: operation.name,
                logger: logger
            )
        }
    }

    /// ListParts (the first 1,000, more than a direct upload ever has).
    package func uploadedParts(key: String, uploadID: String, logger: Logger) async throws(StorageError) -> [UploadedPart] {
        try Self.checkKey(key)
        let operation = S3Operation(
            name: "ListParts",
            method: "GET",
            key: key,
            query: [("uploadId", uploadID)],
            isIdempotent: true,
            attemptTimeout: self.configuration.timeouts.request
        )
        let body = try await self.client.performCollecting(operation, limit: Self.listingBodyLimit, logger: logger).body
        do {
            return try S3Documents.uploadedParts(body)
        } catch {
            throw self.client.finalError(
                .unexpected("The storage backend sent an unreadable part list.", underlying: error),
                operation: operation.name,
                logger: logger
            )
        }
    }

    /// CompleteMultipartUpload with every part's ETag.
    package func completeMultipartUpload(key: String, uploadID: String, parts: [UploadedPart], logger: Logger) async throws(StorageError) {
        try Self.checkKey(key)
        let body = ByteBuffer(string: S3Documents.completeMultipartUploadBody(parts.map { .init(number: $0.number, etag: $0.etag) }))
        let operation = S3Operation(
            name: "CompleteMultipartUpload",
            method: "POST",
            key: key,
            query: [("uploadId", uploadID)],
            headers: [("content-type", "application/xml")],
            body: body,
            payloadHash: S3Operation.sha256(of: body).payloadHash,
            isIdempotent: true,
            attemptTimeout: self.configuration.timeouts.transfer
        )
        _ = try await self.client.performCollecting(operation, limit: S3Client.errorBodyLimit, checkEmbeddedError: true, logger: logger)
    }

    /// AbortMultipartUpload; a missing upload counts as aborted.
    package func abortMultipartUpload(key: String, uploadID: String, logger: Logger) async throws(StorageError) {
        try Self.checkKey(key)
        try await S3ObjectWriter.abortMultipartUpload(uploadID, key: key, client: self.client, logger: logger)
    }
}
