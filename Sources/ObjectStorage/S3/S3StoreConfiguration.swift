import Documents
import SigV4

/// Everything ``S3ObjectStore`` needs to reach one bucket: who signs, where the bucket is, how objects are
/// encrypted at rest, how uploads are cut into parts, and how long calls may take.
///
/// The composition root builds it from `AWS_*` settings (DESIGN.md, "Storage backends").
/// - important: holds the secret access key (inside ``credentials``, which redacts it when printed); never log
///   or serialise this value, use ``S3ObjectStore/summary`` for anything shown to people.
package struct S3StoreConfiguration: Sendable {
    /// The smallest part S3 accepts for every part but the last ("Amazon S3 multipart upload limits": 5 MiB).
    package static let minimumPartSize = 5 * 1024 * 1024
    /// The largest part S3 accepts (5 GiB).
    package static let maximumPartSize = 5 * 1024 * 1024 * 1024
    /// S3's part-number limit per upload (1 … 10,000).
    package static let maximumPartCount = 10_000

    /// The key pair (and session token) that signs every request; shared with the pre-signed URLs.
    package var credentials: Credentials
    /// The bucket's region, signed into every credential scope (`us-east-1` for MinIO and most emulators).
    package var region: String
    /// The bucket that holds every document.
    package var bucket: String
    /// `AWS_ENDPOINT_URL_S3` as `http(s)://host[:port]`; nil means AWS itself, `https://s3.<region>.amazonaws.com`.
    package var endpoint: String?
    /// `AWS_S3_PUBLIC_ENDPOINT` as `http(s)://host[:port]`: where clients reach the same bucket when that differs from
    /// ``endpoint`` (Docker's `http://minio:9000` is not a name a browser resolves). Pre-signed URLs are signed for
    /// this host, addressed in the same style; nil signs them for ``resolvedEndpoint``.
    package var publicEndpoint: String?
    /// Forces path-style or virtual-hosted addressing; nil picks the endpoint's default (virtual-hosted for AWS,
    /// path-style for MinIO, Ceph, moto and other custom endpoints), as botocore does.
    package var addressingStyle: S3Addressing.Style?
    /// `AWS_KMS_KEY_ID`: objects are encrypted with SSE-KMS under this key; nil means SSE-S3 (`AES256`).
    package var kmsKeyID: String?
    /// Bytes per multipart part, and the most an upload buffers: 8 MiB by default, 5 MiB … 5 GiB. An object that
    /// ends within the first part is sent with one PutObject instead.
    package var partSize: Int
    /// Whether a single PutObject also carries `x-amz-checksum-sha256` (S3 then verifies the stored bytes again);
    /// turn off for an S3-compatible server that rejects the header.
    package var sendsChecksum: Bool
    /// `MEDVAULT_BUCKET_ROUTES`: the categories whose objects live in a bucket of their own (``BucketRoutes``).
    package var routes: BucketRoutes = .none
    /// Per-attempt and overall time limits of S3 calls.
    package var timeouts: S3Timeouts
    /// How failed idempotent calls are retried.
    package var retryPolicy: S3RetryPolicy

    /// A configuration with medvault's defaults for everything but the connection settings.
    package init(
        credentials: Credentials,
        region: String,
        bucket: String,
        endpoint: String? = nil,
        publicEndpoint: String? = nil,
        addressingStyle: S3Addressing.Style? = nil,
        kmsKeyID: String? = nil,
        partSize: Int = 8 * 1024 * 1024,
        sendsChecksum: Bool = true,
        timeouts: S3Timeouts = S3Timeouts(),
        retryPolicy: S3RetryPolicy = S3RetryPolicy()
    ) {
        self.credentials = credentials
        self.region = region
        self.bucket = bucket
        self.endpoint = endpoint
        self.publicEndpoint = publicEndpoint
        self.addressingStyle = addressingStyle
        self.kmsKeyID = kmsKeyID
        self.partSize = partSize
        self.sendsChecksum = sendsChecksum
        self.timeouts = timeouts
        self.retryPolicy = retryPolicy
    }

    /// The endpoint actually used: the configured one, else AWS's regional endpoint.
    package var resolvedEndpoint: String {
        self.endpoint ?? S3Addressing.defaultEndpoint(region: self.region)
    }

    /// The headers that ask S3 to encrypt an object at rest, sent (and signed) with PutObject,
    /// CreateMultipartUpload and CopyObject ("Specifying server-side encryption", S3 docs). An empty KMS key id
    /// counts as none.
    var serverSideEncryptionHeaders: [(name: String, value: String)] {
        if let kmsKeyID, !kmsKeyID.isEmpty {
            return [
                ("x-amz-server-side-encryption", "aws:kms"),
                ("x-amz-server-side-encryption-aws-kms-key-id", kmsKeyID),
            ]
        }
        return [("x-amz-server-side-encryption", "AES256")]
    }

    /// How encryption at rest is described in the store's summary.
    var encryptionDescription: String {
        if let kmsKeyID, !kmsKeyID.isEmpty { return "SSE-KMS (\(kmsKeyID))" }
        return "SSE-S3 (AES256)"
    }

    /// Checks what S3 would otherwise reject later: the part size, the KMS key id, the timeouts and the retry policy.
    /// Credentials, region, endpoint and bucket are checked when the store builds its signer and addressing.
    func validate() throws(StorageError) {
        guard (Self.minimumPartSize...Self.maximumPartSize).contains(self.partSize) else {
            throw .failure("Invalid S3 configuration: the part size must be between 5 MiB and 5 GiB.")
        }
        if let kmsKeyID, kmsKeyID.utf8.contains(where: { $0 < 0x21 || $0 > 0x7E }) {
            throw .failure("Invalid S3 configuration: the KMS key id must be printable ASCII without spaces.")
        }
        try self.timeouts.validate()
        try self.retryPolicy.validate()
    }
}
