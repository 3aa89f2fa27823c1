import Foundation
import NIOCore

extension S3ObjectWriter {
    /// CompleteMultipartUpload with every part's ETag. Retried like any idempotent call; if a retry finds the upload
    /// gone (`NoSuchUpload`: an earlier attempt completed it but its answer was lost), HeadObject decides.
    func completeUpload() async throws(StorageError) -> ObjectInfo {
        guard let uploadID else { throw .failure("The upload was never started.") }
        let xml = S3Documents.completeMultipartUploadBody(self.parts)
        let body = ByteBuffer(string: xml)
        let operation = S3Operation(
            name: "CompleteMultipartUpload",
            method: "POST",
            key: self.key,
            query: [("uploadId", uploadID)],
            headers: [("content-type", "application/xml")],
            body: body,
            payloadHash: S3Operation.sha256(of: body).payloadHash,
            isIdempotent: true,
            attemptTimeout: self.client.timeouts.transfer
        )
        do throws(StorageError) {
            let (response, answer) = try await self.client.performCollecting(
                operation,
                limit: S3Client.errorBodyLimit,
                checkEmbeddedError: true,
                logger: self.logger
            )
            let etag: String
            do {
                etag = try S3Documents.resultETag(answer, rootName: "CompleteMultipartUploadResult")
            } catch {
                throw self.client.finalError(
                    .unexpected("The storage backend did not confirm the upload.", underlying: error),
                    operation: operation.name,
                    logger: self.logger
                )
            }
            self.uploadID = nil
            return try await self.confirmedInfo(etag: etag, response: response, operation: operation.name)
        } catch  where error.code == "not_found" {
            let info = try await self.completedObject()
            self.uploadID = nil
            return info
        }
    }

    /// After `NoSuchUpload` on completion: the object exists with a multipart ETag of as many parts (`"…-N"`) if an
    /// earlier attempt completed it; anything else is a failure.
    private func completedObject() async throws(StorageError) -> ObjectInfo {
        let head = S3Operation(name: "HeadObject", method: "HEAD", key: self.key, isIdempotent: true, attemptTimeout: self.client.timeouts.request)
        let response = try await self.client.perform(head, logger: self.logger) { (response, _) throws(S3AttemptFailure) in response }
        guard let etag = response.header("etag"), etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).hasSuffix("-\(self.parts.count)"),
            response.header("content-length").flatMap({ Int64($0) }) == self.plan.totalBytes
        else {
            throw .failure("The storage backend lost the upload before it was completed.")
        }
        return try await self.confirmedInfo(etag: etag, response: response, operation: head.name)
    }

    /// ``storedInfo(etag:response:)`` of an object S3 has just stored, once `response` confirms the encryption asked
    /// for; otherwise the object is deleted and the write fails (``S3Client/confirmEncryption(of:requested:key:operation:logger:)``).
    func confirmedInfo(etag: String, response: S3HTTPResponse, operation: String) async throws(StorageError) -> ObjectInfo {
        try await self.client.confirmEncryption(
            of: response,
            requested: self.serverSideEncryption,
            key: self.key,
            operation: operation,
            logger: self.logger
        )
        return self.storedInfo(etag: etag, response: response)
    }

    /// What `finish` reports: S3's ETag and SSE algorithm, the size sent, and S3's date (or the clock's).
    private func storedInfo(etag: String, response: S3HTTPResponse) -> ObjectInfo {
        ObjectInfo(
            key: self.key,
            size: self.plan.totalBytes,
            etag: S3Documents.quotedETag(etag),
            lastModified: response.header("last-modified").flatMap(S3DateParser.httpDate)
                ?? response.header("date").flatMap(S3DateParser.httpDate) ?? self.client.environment.now(),
            contentType: self.contentType,
            serverSideEncryption: response.header("x-amz-server-side-encryption")
        )
    }
}
