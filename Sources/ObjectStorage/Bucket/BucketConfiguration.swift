/// How medvault wants a documents bucket configured: what `medvault bucket setup` writes and `medvault bucket check`
/// reads back and compares, one part per S3 bucket sub-resource (``BucketSetting``).
///
/// Why each part: browsers send direct uploads straight to the bucket (CORS); documents are never public (Block
/// Public Access); objects are encrypted at rest even when a client forgets the SSE header (default encryption);
/// overwritten or deleted objects can be recovered (versioning); and what medvault's lifecycle rules expire is
/// expired by S3 too, with abandoned multipart uploads aborted (lifecycle).
package struct BucketConfiguration: Sendable, Equatable {
    /// The CORS rules (`PutBucketCors`).
    package var cors: [CORSRule]
    /// The four Block Public Access switches (`PutPublicAccessBlock`).
    package var publicAccessBlock: PublicAccessBlock
    /// The bucket's default server-side encryption (`PutBucketEncryption`).
    package var encryption: DefaultEncryption
    /// Whether versioning is `Enabled` (`PutBucketVersioning`).
    package var versioningEnabled: Bool
    /// The lifecycle rules (`PutBucketLifecycleConfiguration`).
    package var lifecycle: [LifecycleRule]

    /// The methods a browser uses on the bucket: `PUT` for direct uploads, `GET` and `HEAD` for pre-signed downloads.
    package static let allowedMethods = ["GET", "HEAD", "PUT"]
    /// How long a browser may cache a preflight answer (seconds).
    package static let preflightMaxAge = 3600
    /// Incomplete multipart uploads are aborted this many days after they started: a direct upload's URLs live at most
    /// an hour, so a day-old upload is abandoned.
    package static let abortIncompleteUploadsAfterDays = 1

    /// medvault's configuration for a bucket.
    /// - Parameters:
    ///   - allowedOrigin: the browser origin of `MEDVAULT_PUBLIC_URL` (`https://app.example`), the only one allowed.
    ///   - uploadHeaders: the headers direct uploads send besides `Content-Length` (the SSE headers, the checksum).
    ///   - kmsKeyID: `AWS_KMS_KEY_ID`: SSE-KMS under this key; nil for SSE-S3 (`AES256`).
    ///   - tempRetentionDays: `MEDVAULT_TEMP_RETENTION_DAYS`: `temp/` objects expire after this many days.
    package static func medvault(allowedOrigin: String, uploadHeaders: [String], kmsKeyID: String?, tempRetentionDays: Int) -> BucketConfiguration {
        BucketConfiguration(
            cors: [
                CORSRule(
                    allowedOrigins: [allowedOrigin],
                    allowedMethods: allowedMethods,
                    allowedHeaders: uploadHeaders,
                    exposeHeaders: ["ETag"],
                    maxAgeSeconds: preflightMaxAge
                )
            ],
            publicAccessBlock: .allBlocked,
            encryption: DefaultEncryption(kmsKeyID: kmsKeyID),
            versioningEnabled: true,
            lifecycle: [
                LifecycleRule(id: "medvault-temp-expiry", prefix: "temp/", expirationDays: tempRetentionDays),
                LifecycleRule(id: "medvault-abort-incomplete-uploads", prefix: "", abortIncompleteUploadsAfterDays: abortIncompleteUploadsAfterDays),
            ]
        )
    }

    /// The S3 namespace of every bucket configuration document.
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// `<?xml …?><root xmlns="…">content</root>`.
    static func document(_ root: String, _ content: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8"?>"# + "<\(root) xmlns=\"\(namespace)\">\(content)</\(root)>"
    }

    /// `<name>escaped text</name>`.
    static func element(_ name: String, _ text: String) -> String {
        "<\(name)>\(S3Documents.escaped(text))</\(name)>"
    }
}
