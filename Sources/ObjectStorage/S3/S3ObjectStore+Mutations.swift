import Logging
import NIOCore

extension S3ObjectStore {
    /// The most bytes read of a ListObjectsV2 or ListMultipartUploads page (1,000 entries of up to 1 KiB keys).
    static let listingBodyLimit = 8 * 1024 * 1024

    /// DeleteObject; S3 answers 204 whether or not the key existed, and a 404 (some servers) counts as done too.
    package func delete(key: String, logger: Logger) async throws(StorageError) {
        try Self.checkKey(key)
        let operation = S3Operation(
            name: "DeleteObject",
            method: "DELETE",
            key: key,
            isIdempotent: true,
            attemptTimeout: self.configuration.timeouts.request
        )
        do throws(StorageError) {
            _ = try await self.client(forKey: key).performCollecting(operation, limit: S3Client.errorBodyLimit, logger: logger)
        } catch  where error.code == "not_found" {
            // Already gone.
        }
        logger.debug("deleted S3 object", metadata: ["key": "\(key)"])
    }

    /// Aborts the incomplete multipart uploads to exactly `key` (ListMultipartUploads, then AbortMultipartUpload each),
    /// then DeleteObject.
    package func removeAbandonedUpload(key: String, logger: Logger) async throws(StorageError) {
        try Self.checkKey(key)
        for upload in try await self.pendingUploads(prefix: key, logger: logger) where upload.key == key {
            try await S3ObjectWriter.abortMultipartUpload(upload.uploadID, key: key, client: self.client(forKey: key), logger: logger)
        }
        try await self.delete(key: key, logger: logger)
    }

    /// HeadObject for the source's storage class (a copy without `x-amz-storage-class` lands in the standard class,
    /// which would silently undo a lifecycle transition), CopyObject in that class (within the key's bucket, metadata kept with
    /// `x-amz-metadata-directive: COPY`, SSE headers sent again because a copy is a new object, and their echo
    /// checked: an unconfirmed copy is deleted and the move fails with the source intact), then DeleteObject of the
    /// source. Not atomic: if the delete fails, the object exists under
    /// both keys and the error is reported; moving again finishes the job. CopyObject handles objects up to 5 GB,
    /// far above medvault's 50 MB limit.
    package func move(from: String, to: String, logger: Logger) async throws(StorageError) {
        try Self.checkKey(from)
        try Self.checkKey(to)
        let source = try await self.head(key: from, logger: logger)
        // S3 refuses a copy onto itself without changes; the move is a no-op once the object is known to exist.
        guard from != to else { return }
        try await copyObject(from: from, to: to, storageClass: source.storageClass, logger: logger)
        try await self.delete(key: from, logger: logger)
        logger.debug("moved S3 object", metadata: ["from": "\(from)", "to": "\(to)"])
    }

    /// One page of ListObjectsV2 (`list-type=2`), `maxKeys` clamped to S3's 1 … 1,000.
    package func list(prefix: String, continuationToken: String?, maxKeys: Int, logger: Logger) async throws(StorageError) -> ObjectListing {
        var query: [(name: String, value: String)] = [("list-type", "2"), ("max-keys", "\(min(max(maxKeys, 1), 1000))")]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let operation = S3Operation(
            name: "ListObjectsV2",
            method: "GET",
            key: nil,
            query: query,
            isIdempotent: true,
            attemptTimeout: self.configuration.timeouts.request
        )
        let body = try await self.client.performCollecting(operation, limit: Self.listingBodyLimit, logger: logger).body
        do {
            let page = try S3Documents.objectPage(body)
            return ObjectListing(objects: page.objects, nextContinuationToken: page.nextContinuationToken)
        } catch {
            throw self.client.finalError(
                .unexpected("The storage backend sent an unreadable listing.", underlying: error),
                operation: operation.name,
                logger: logger
            )
        }
    }

    /// The incomplete multipart uploads under `prefix` (ListMultipartUploads, first 1,000): for the self-check, the
    /// removal of abandoned uploads, and tests that prove an aborted writer leaves none behind.
    func pendingUploads(prefix: String, logger: Logger) async throws(StorageError) -> [S3Documents.PendingUpload] {
        let operation = S3Operation(
            name: "ListMultipartUploads",
            method: "GET",
            key: nil,
            query: [("uploads", ""), ("prefix", prefix)],
            isIdempotent: true,
            attemptTimeout: self.configuration.timeouts.request
        )
        let body = try await self.client(forKey: prefix).performCollecting(operation, limit: Self.listingBodyLimit, logger: logger).body
        do {
            return try S3Documents.pendingUploads(body).uploads
        } catch {
            throw self.client.finalError(
                .unexpected("The storage backend sent an unreadable listing.", underlying: error),
                operation: operation.name,
                logger: logger
            )
        }
    }

    /// `x-amz-copy-source`: `bucket/key`, URL-encoded as the AWS SDKs do it (everything but `A-Z a-z 0-9 - _ . ~ /`).
    static func copySource(bucket: String, key: String) -> String {
        var encoded: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in "\(bucket)/\(key)".utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                encoded.append(byte)
            default:
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
