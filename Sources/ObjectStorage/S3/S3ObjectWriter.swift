import Crypto
import Foundation
import Logging
import NIOCore

/// An upload into ``S3ObjectStore``: bytes are buffered up to one part; an object that ends within the first part
/// goes up with one PutObject, a larger one as a multipart upload (CreateMultipartUpload, UploadPart per full part,
/// CompleteMultipartUpload). ``S3UploadPlan`` makes the decisions; this actor does the I/O.
///
/// Nothing is visible under the key before `finish` succeeds (S3 publishes a multipart object only on completion).
/// On any failure, on `abort()`, or when the writer is dropped unfinished, the multipart upload is aborted
/// (AbortMultipartUpload), so no incomplete upload is left to be billed. Memory: the part buffer (a `ByteBuffer`, whose
/// allocation is the part size rounded up to a power of two: exactly one part with the default 8 MiB) plus the caller's
/// chunk; parts are sent one at a time, and `write` returns only after a full part is stored, which paces the client.
actor S3ObjectWriter: ObjectWriter {
    private enum State {
        case open
        case busy
        case closed
    }

    let key: String
    let contentType: String
    private let sendsChecksum: Bool
    let serverSideEncryption: [(name: String, value: String)]
    let client: S3Client
    let logger: Logger
    private var state = State.open
    private var abortRequested = false
    private(set) var plan: S3UploadPlan
    private var buffer: ByteBuffer
    /// The multipart upload in progress; nil before the first part and once it is completed or aborted.
    var uploadID: String?
    private(set) var parts: [S3Documents.CompletedPart] = []
    /// The whole object's SHA-256 for ``WrittenObject``; the per-part hashes SigV4 needs cover parts only.
    private var contentHash = SHA256()

    /// Prepares an upload to `key`; nothing is sent yet. The store has checked the key and the content type.
    init(
        key: String,
        contentType: String,
        partSize: Int,
        sendsChecksum: Bool,
        serverSideEncryption: [(name: String, value: String)],
        client: S3Client,
        logger: Logger
    ) {
        self.key = key
        self.contentType = contentType
        self.sendsChecksum = sendsChecksum
        self.serverSideEncryption = serverSideEncryption
        self.client = client
        self.logger = logger
        self.plan = S3UploadPlan(partSize: partSize)
        self.buffer = ByteBuffer()
    }

    deinit {
        // Dropped without finish or abort (the caller threw past us): abort the upload in the background.
        if let uploadID {
            let (client, key, logger) = (self.client, self.key, self.logger)
            Task { await Self.abortUpload(uploadID, key: key, client: client, logger: logger) }
        }
    }

    func write(_ chunk: ByteBuffer) async throws(StorageError) {
        try self.claim()
        var chunk = chunk
        chunk.withUnsafeReadableBytes { self.contentHash.update(bufferPointer: $0) }
        do throws(StorageError) {
            for step in self.plan.accept(chunk.readableBytes) {
                switch step {
                case .buffer(let count):
                    guard var slice = chunk.readSlice(length: count) else { throw .failure("The upload lost track of its bytes.") }
                    self.buffer.writeBuffer(&slice)
                case .sendPart(let number):
                    try await self.sendPart(number)
                    try self.checkNotAborted()
                }
            }
        } catch {
            await self.cleanUp()
            throw error
        }
        self.state = .open
    }

    func finish() async throws(StorageError) -> WrittenObject {
        try self.claim()
        do throws(StorageError) {
            let info: ObjectInfo
            switch self.plan.ending {
            case .putObject:
                info = try await self.putObject()
            case .completeMultipart(let lastPart, _):
                try await self.sendPart(lastPart)
                try self.checkNotAborted()
                info = try await self.completeUpload()
            }
            self.state = .closed
            self.buffer = ByteBuffer()
            self.logger.debug("stored S3 object", metadata: ["key": "\(self.key)", "size": "\(info.size)", "parts": "\(self.parts.count)"])
            return WrittenObject(info: info, sha256: self.contentHash.finalize())
        } catch {
            await self.cleanUp()
            throw error
        }
    }

    func abort() async {
        switch self.state {
        case .open:
            await self.cleanUp()
        case .busy:
            // Another call is in flight (a misuse); it sees the request when its I/O returns and cleans up.
            self.abortRequested = true
        case .closed:
            return
        }
    }

    /// The part buffer's allocated size, for tests of the memory bound.
    var bufferCapacity: Int { self.buffer.capacity }

    /// Marks the writer busy for one call; a concurrent call, or a call after the end, fails.
    private func claim() throws(StorageError) {
        switch self.state {
        case .open: self.state = .busy
        case .busy: throw .failure("The upload is already being written to.")
        case .closed: throw .failure("The upload has already ended.")
        }
    }

    private func checkNotAborted() throws(StorageError) {
        if self.abortRequested { throw .failure("The upload was aborted.") }
    }

    /// Ends the writer: frees the buffer and aborts the multipart upload, if one was started.
    private func cleanUp() async {
        self.state = .closed
        self.buffer = ByteBuffer()
        guard let uploadID = self.uploadID else { return }
        self.uploadID = nil
        // A task of its own: if the caller's task was cancelled (the client went away), the abort must still run.
        let (client, key, logger) = (self.client, self.key, self.logger)
        await Task { await Self.abortUpload(uploadID, key: key, client: client, logger: logger) }.value
    }

    /// PutObject of the whole (small) object with its real SHA-256 signed, its checksum, content type and SSE.
    private func putObject() async throws(StorageError) -> ObjectInfo {
        let body = self.buffer
        let hash = S3Operation.sha256(of: body)
        var headers: [(name: String, value: String)] = [("content-type", self.contentType)] + self.serverSideEncryption
        if self.sendsChecksum { headers.append(("x-amz-checksum-sha256", hash.base64)) }
        let operation = S3Operation(
            name: "PutObject",
            method: "PUT",
            key: self.key,
            headers: headers,
            body: body,
            payloadHash: hash.payloadHash,
            isIdempotent: true,
            attemptTimeout: self.client.timeouts.transfer
        )
        let response = try await self.client.performCollecting(operation, limit: S3Client.errorBodyLimit, logger: self.logger).response
        guard let etag = response.header("etag"), !etag.isEmpty else {
            throw self.client.finalError(
                .unexpected("The storage backend did not confirm the upload.", underlying: nil),
                operation: operation.name,
                logger: self.logger
            )
        }
        return try await self.confirmedInfo(etag: etag, response: response, operation: operation.name)
    }

    /// Sends the buffer as part `number`, starting the multipart upload before the first part.
    private func sendPart(_ number: Int) async throws(StorageError) {
        guard number <= S3StoreConfiguration.maximumPartCount else { throw .failure("The object is too large for this store.") }
        let uploadID = try await self.startUploadIfNeeded()
        let body = self.buffer
        let operation = S3Operation(
            name: "UploadPart",
            method: "PUT",
            key: self.key,
            query: [("partNumber", "\(number)"), ("uploadId", uploadID)],
            body: body,
            payloadHash: S3Operation.sha256(of: body).payloadHash,
            isIdempotent: true,
            attemptTimeout: self.client.timeouts.transfer
        )
        let response = try await self.client.performCollecting(operation, limit: S3Client.errorBodyLimit, logger: self.logger).response
        guard let etag = response.header("etag"), !etag.isEmpty else {
            throw self.client.finalError(
                .unexpected("The storage backend did not confirm a part.", underlying: nil),
                operation: operation.name,
                logger: self.logger
            )
        }
        self.parts.append(S3Documents.CompletedPart(number: number, etag: etag))
        self.buffer.clear()
    }

    /// CreateMultipartUpload with the content type and SSE headers (parts inherit them); not retried, because a
    /// repeated call would start a second upload that nobody aborts.
    private func startUploadIfNeeded() async throws(StorageError) -> String {
        if let uploadID { return uploadID }
        let operation = S3Operation(
            name: "CreateMultipartUpload",
            method: "POST",
            key: self.key,
            query: [("uploads", "")],
            headers: [("content-type", self.contentType)] + self.serverSideEncryption,
            body: ByteBuffer(),
            isIdempotent: false,
            attemptTimeout: self.client.timeouts.request
        )
        let body = try await self.client.performCollecting(operation, limit: S3Client.errorBodyLimit, logger: self.logger).body
        do {
            let uploadID = try S3Documents.uploadID(body)
            self.uploadID = uploadID
            return uploadID
        } catch {
            throw self.client.finalError(
                .unexpected("The storage backend did not start the upload.", underlying: error),
                operation: operation.name,
                logger: self.logger
            )
        }
    }

    /// ``abortMultipartUpload(_:key:client:logger:)`` that never throws: a failure is logged, and what stays is left to
    /// the abandoned-upload sweep (the upload's intent outlives it) and, last, to a bucket lifecycle rule
    /// (AbortIncompleteMultipartUpload).
    static func abortUpload(_ uploadID: String, key: String, client: S3Client, logger: Logger) async {
        do throws(StorageError) {
            try await abortMultipartUpload(uploadID, key: key, client: client, logger: logger)
        } catch {
            logger.error(
                "could not abort an S3 multipart upload; the abandoned-upload sweep will try again",
                metadata: ["error": "\(error)"]
            )
        }
    }

    /// AbortMultipartUpload, retried like any idempotent call; a missing upload counts as aborted.
    static func abortMultipartUpload(_ uploadID: String, key: String, client: S3Client, logger: Logger) async throws(StorageError) {
        let operation = S3Operation(
            name: "AbortMultipartUpload",
            method: "DELETE",
            key: key,
            query: [("uploadId", uploadID)],
            isIdempotent: true,
            attemptTimeout: client.timeouts.request
        )
        do throws(StorageError) {
            _ = try await client.performCollecting(operation, limit: S3Client.errorBodyLimit, logger: logger)
            logger.debug("aborted S3 multipart upload", metadata: ["key": "\(key)"])
        } catch  where error.code == "not_found" {
            return
        }
    }
}
