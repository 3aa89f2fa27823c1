import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import SigV4
import Synchronization

/// medvault's S3 backend: documents in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, moto), reached over
/// async-http-client and signed with our own SigV4 (DESIGN.md, "Storage backends").
///
/// Uploads stream: at most one part (``S3StoreConfiguration/partSize``) is buffered; small objects go up with one
/// PutObject, larger ones as a multipart upload that is aborted on any failure (``S3ObjectWriter``). Downloads stream
/// the response body as it arrives. Every object is written with server-side encryption headers (SSE-S3, or SSE-KMS
/// with ``S3StoreConfiguration/kmsKeyID``), and every call has a deadline and, when idempotent, retries
/// (``S3Client``).
///
/// - important: object keys carry patient ids: they are logged at debug level only, and never appear in a
///   `StorageError`'s message. Credentials are never logged.
package final class S3ObjectStore: ObjectStore, PresignedURLIssuer {
    /// What ``ObjectStore/summary`` reports: backend, endpoint host and bucket, region, encryption; no secret.
    package let summary: StoreSummary
    let client: S3Client
    let configuration: S3StoreConfiguration
    /// Where pre-signed URLs point: ``S3StoreConfiguration/publicEndpoint`` in the client's addressing style, else the
    /// client's own addressing.
    let publicAddressing: S3Addressing
    /// Whether the bucket keeps versions, asked once (GetBucketVersioning) by the first erasure and then remembered:
    /// turning versioning on is rare, and a bucket once versioned never goes back to unversioned.
    let versioning = Mutex<Bool?>(nil)

    /// A store on `configuration`'s bucket that sends its requests through `httpClient`, the server's shared,
    /// pooled client (the server owns its lifecycle). `signingKeyCache` keeps derived SigV4 keys for the store's
    /// signatures and pre-signed URLs; pass the server's cache to share it. Throws `storage_failure` for an invalid
    /// configuration (credentials, region, endpoint, bucket name, part size, timeouts).
    package convenience init(
        configuration: S3StoreConfiguration,
        httpClient: HTTPClient,
        signingKeyCache: SigningKeyCache = SigningKeyCache()
    ) throws(StorageError) {
        try configuration.validate()
        try self.init(
            configuration: configuration,
            transport: S3HTTPClientTransport(client: httpClient),
            environment: .live,
            signingKeyCache: signingKeyCache
        )
    }

    /// The testable core: any transport, any clock. Does not check the part size, so tests can use tiny parts.
    init(
        configuration: S3StoreConfiguration,
        transport: any S3Transport,
        environment: S3Environment,
        signingKeyCache: SigningKeyCache = SigningKeyCache()
    ) throws(StorageError) {
        guard configuration.partSize > 0, !configuration.bucket.isEmpty else {
            throw .failure("Invalid S3 configuration: a bucket and a positive part size are required.")
        }
        let signer: SigV4Signer
        let addressing: S3Addressing
        let publicAddressing: S3Addressing
        do throws(SigV4Error) {
            signer = try SigV4Signer(credentials: configuration.credentials, region: configuration.region, cache: signingKeyCache)
            addressing = try S3Addressing(endpoint: configuration.resolvedEndpoint, style: configuration.addressingStyle)
            _ = try addressing.location(bucket: configuration.bucket, key: nil)
            if let publicEndpoint = configuration.publicEndpoint {
                publicAddressing = try S3Addressing(endpoint: publicEndpoint, style: addressing.style)
            } else {
                publicAddressing = addressing
            }
        } catch {
            throw .failure("Invalid S3 configuration: \(error.message).", underlying: error)
        }
        self.configuration = configuration
        self.publicAddressing = publicAddressing
        self.client = S3Client(
            transport: transport,
            signer: signer,
            addressing: addressing,
            bucket: configuration.bucket,
            timeouts: configuration.timeouts,
            retryPolicy: configuration.retryPolicy,
            environment: environment
        )
        self.summary = StoreSummary(
            backend: "s3",
            location: "\(addressing.host)/\(configuration.bucket)",
            region: configuration.region,
            encryption: configuration.encryptionDescription
        )
    }

    /// Starts an upload that buffers up to one part; nothing is sent until the first part is full or `finish`.
    package func makeWriter(key: String, contentType: String, logger: Logger) async throws(StorageError) -> any ObjectWriter {
        try Self.checkKey(key)
        guard !contentType.isEmpty, contentType.utf8.count <= 256, contentType.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw .failure("The content type cannot be stored.")
        }
        logger.debug("opened S3 upload", metadata: ["key": "\(key)"])
        return S3ObjectWriter(
            key: key,
            contentType: contentType,
            partSize: self.configuration.partSize,
            sendsChecksum: self.configuration.sendsChecksum,
            serverSideEncryption: self.configuration.serverSideEncryptionHeaders,
            client: self.client(forKey: key),
            logger: logger
        )
    }

    /// GetObject, with `Range: bytes=a-b` when `range` is given; the body streams from S3 as the caller reads it.
    package func read(key: String, range: ClosedRange<Int64>?, logger: Logger) async throws(StorageError) -> ObjectStream {
        try Self.checkKey(key)
        var headers: [(name: String, value: String)] = []
        if let range {
            guard range.lowerBound >= 0 else { throw .failure("The requested range lies outside the object.") }
            headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound)"))
        }
        let operation = S3Operation(
            name: "GetObject",
            method: "GET",
            key: key,
            headers: headers,
            isIdempotent: true,
            attemptTimeout: self.configuration.timeouts.request
        )
        let (info, length, body) = try await self.client(forKey: key).perform(operation, logger: logger) {
            (response, _) throws(S3AttemptFailure) in
            let (info, length) = try self.objectInfo(key: key, response: response, requestedRange: range)
            return (info, length, response.body)
        }
        logger.debug("reading S3 object", metadata: ["key": "\(key)"])
        return ObjectStream(info: info, range: range, body: Self.checkedBody(body, expectedLength: length))
    }

    /// HeadObject: metadata, including the SSE algorithm S3 reports, which the self-check shows as proof of
    /// encryption at rest.
    package func head(key: String, logger: Logger) async throws(StorageError) -> ObjectInfo {
        try Self.checkKey(key)
        let operation = S3Operation(
            name: "HeadObject",
            method: "HEAD",
            key: key,
            isIdempotent: true,
            attemptTimeout: self.configuration.timeouts.request
        )
        return try await self.client(forKey: key).perform(operation, logger: logger) { (response, _) throws(S3AttemptFailure) in
            try self.objectInfo(key: key, response: response, requestedRange: nil).info
        }
    }

    /// Refuses keys S3 or the signer would mangle: empty, over S3's 1,024 bytes, control characters, a leading
    /// `/`, or empty, `.` and `..` segments. Keys arrive validated by `KeyLayout`; this is the last line.
    static func checkKey(_ key: String) throws(StorageError) {
        let valid =
            !key.isEmpty && key.utf8.count <= 1024 && !key.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F })
            && key.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
        guard valid else { throw .failure("The object key cannot be stored.") }
    }
}
