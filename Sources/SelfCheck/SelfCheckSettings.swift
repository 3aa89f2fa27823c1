import Foundation

/// What the self-check needs to know of the configuration, and nothing more: the server and `medvault selftest`
/// both build it from their one configuration, so the checks name the same store, keys and endpoints the routes use.
///
/// - important: It holds no secret, only whether one is set: a check's detail is shown on a page and printed.
package struct SelfCheckSettings: Sendable {
    /// The S3 store's settings that a detail may name.
    package struct S3: Sendable {
        package var bucket: String
        /// `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`; nil means AWS itself.
        package var endpoint: URL?
        /// `AWS_S3_PUBLIC_ENDPOINT`: the host pre-signed URLs are signed for, when it is not ``endpoint``.
        package var publicEndpoint: URL?
        package var kmsKeyID: String?
        /// Whether `AWS_SESSION_TOKEN` is set.
        package var hasSessionToken: Bool

        package init(bucket: String, endpoint: URL?, publicEndpoint: URL?, kmsKeyID: String?, hasSessionToken: Bool) {
            self.bucket = bucket
            self.endpoint = endpoint
            self.publicEndpoint = publicEndpoint
            self.kmsKeyID = kmsKeyID
            self.hasSessionToken = hasSessionToken
        }
    }

    /// `ENABLE_AWS_S3_STORAGE`.
    package var storageEnabled: Bool
    /// `MEDVAULT_ENV=production`: S3 and the antivirus are required.
    package var production: Bool
    package var region: String
    /// S3 when it is configured; nil for the local store (or none, in production).
    package var s3: S3?
    /// `MEDVAULT_DATA_DIR`: where the local store keeps documents and its key file.
    package var dataDirectory: URL
    /// Whether `MEDVAULT_STORAGE_KEY` is set (else the key file under the data directory is used).
    package var storageKeyConfigured: Bool
    /// Where the local store's pre-signed URLs point.
    package var publicBaseURL: URL
    /// The encryption every write asks for and a read of an object's headers must show.
    package var expectedEncryption: String

    package init(
        storageEnabled: Bool,
        production: Bool,
        region: String,
        s3: S3?,
        dataDirectory: URL,
        storageKeyConfigured: Bool,
        publicBaseURL: URL,
        expectedEncryption: String
    ) {
        self.storageEnabled = storageEnabled
        self.production = production
        self.region = region
        self.s3 = s3
        self.dataDirectory = dataDirectory
        self.storageKeyConfigured = storageKeyConfigured
        self.publicBaseURL = publicBaseURL
        self.expectedEncryption = expectedEncryption
    }
}
