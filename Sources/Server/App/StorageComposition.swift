import Foundation
import ObjectStorage
import SigV4

/// The storage half of the composition root: the configured store and its pre-signed URL issuer, built once by
/// `buildApplication` for the server and by `medvault selftest` for the command line, so both test exactly the
/// same store.
///
/// The feature flag and a production set-up without S3 yield neither store nor issuer.
package struct StorageComposition: Sendable {
    /// The store as the routes see it: ready, disabled or not configured.
    package let access: StorageAccess
    /// The S3 store's own URLs, or the local store's URLs to medvault itself; nil without a store.
    package let presignedURLs: (any PresignedURLIssuer)?
    /// CloudFront's signed URLs for the categories configured to go through the CDN; nil without CloudFront signing.
    package let cloudFront: CloudFrontURLs?
    /// Closes what the store opened (the S3 store's HTTP client); nil when there is nothing to close. The server
    /// runs it as a shutdown service; a command calls it once before it exits.
    package let shutdown: (@Sendable () async throws -> Void)?

    /// Opens the store `configuration` selects (DESIGN.md, "Storage backends"). For the local store it reads or
    /// creates the master key and removes temporary files older than an hour left by interrupted uploads.
    /// - Throws: a `StorageKeyError` for an unusable key, a `StorageError` for an invalid S3 configuration, a
    ///   `CloudFrontSignerError` or ``ConfigurationError`` for a CloudFront private key that does not load.
    package init(configuration: AppConfiguration, now: @escaping @Sendable () -> Date) throws {
        guard configuration.storageEnabled else {
            (access, presignedURLs, cloudFront, shutdown) = (.disabled, nil, nil, nil)
            return
        }
        switch configuration.backend {
        case nil:
            (access, presignedURLs, cloudFront, shutdown) = (.notConfigured, nil, nil, nil)
        case .local:
            let key = try StorageKeyProvider.masterKey(configured: configuration.storageKey?.value, dataDirectory: configuration.dataDirectory)
            let store = LocalObjectStore(dataDirectory: configuration.dataDirectory, masterKey: key)
            _ = try store.removeStaleTemporaryFiles(olderThan: 3600, now: now())
            let urls = try LocalPresignedURLs(baseURL: configuration.publicBaseURL, region: configuration.region, masterKey: key)
            (access, presignedURLs, cloudFront, shutdown) = (.ready(store), urls, nil, nil)
        case .s3(let settings):
            // Before the client exists: a key that does not load must not leave an HTTP client that was never shut down.
            let cloudFront = try settings.cloudFront.map(Self.cloudFrontURLs)
            var s3Configuration = Self.s3Configuration(settings, region: configuration.region)
            s3Configuration.routes = configuration.bucketRoutes
            let s3 = try S3ObjectStore.withOwnedClient(configuration: s3Configuration)
            (access, presignedURLs, self.cloudFront, shutdown) = (.ready(s3.store), s3.store, cloudFront, s3.shutdown)
        }
    }

    /// The S3 store's configuration: `settings`' endpoint, bucket, credentials and encryption, medvault's defaults for
    /// the rest. `medvault import` reads `s3://` sources with the same endpoint and credentials, in their own bucket.
    package static func s3Configuration(_ settings: S3Settings, region: String) -> S3StoreConfiguration {
        S3StoreConfiguration(
            credentials: Credentials(
                accessKeyID: settings.accessKeyID,
                secretAccessKey: settings.secretAccessKey.value,
                sessionToken: settings.sessionToken?.value
            ),
            region: region,
            bucket: settings.bucket,
            endpoint: settings.endpoint?.absoluteString,
            publicEndpoint: settings.publicEndpoint?.absoluteString,
            kmsKeyID: settings.kmsKeyID,
            timeouts: settings.timeouts
        )
    }

    /// Loads the CloudFront private key once, so that a key that does not load stops start-up (and `medvault selftest`).
    static func cloudFrontURLs(_ settings: CloudFrontSettings) throws -> CloudFrontURLs {
        let pem: String
        do {
            pem = try String(contentsOfFile: settings.privateKeyFile, encoding: .utf8)
        } catch {
            throw ConfigurationError.invalid("AWS_CLOUDFRONT_PRIVATE_KEY_FILE cannot be read")
        }
        let signer = try CloudFrontSigner(keyPairID: settings.keyPairID, privateKeyPEM: pem)
        return CloudFrontURLs(distribution: settings.distribution, signer: signer, categories: settings.categories)
    }

    /// The server-side encryption every write asks for and a read of the object's headers must show:
    /// `AES256` (SSE-S3) or `aws:kms` (SSE-KMS) on S3, `AES-256-GCM` for the local store.
    package static func expectedEncryption(_ configuration: AppConfiguration) -> String {
        guard let s3 = configuration.s3 else { return LocalObjectStore.serverSideEncryption }
        return s3.kmsKeyID == nil ? "AES256" : "aws:kms"
    }
}
