import Foundation
import ObjectStorage
import SelfCheck

extension SelfCheck {
    /// The self-check of the store `configuration` selects, as the `/test/s3` page and `medvault selftest` run it.
    ///
    /// - Parameters:
    ///   - presignedURLs: the issuer the download endpoint uses (S3's URLs, or the local store's URLs to medvault).
    ///   - cloudFront: the CloudFront signing of some categories' downloads, if configured.
    ///   - antivirus: the scanner uploads go through, or `.off`.
    ///   - environment: the process environment, only to name which S3 variables are missing.
    package init(
        configuration: AppConfiguration,
        storage: StorageAccess,
        presignedURLs: (any PresignedURLIssuer)?,
        cloudFront: CloudFrontURLs? = nil,
        antivirus: Antivirus = .off,
        environment: [String: String] = [:]
    ) {
        self.init(
            settings: configuration.selfCheckSettings,
            storage: storage,
            presignedURLs: presignedURLs,
            clamd: antivirus.scanner,
            cloudFront: cloudFront,
            environment: environment
        )
    }
}

extension AppConfiguration {
    /// What the self-check may know of this configuration: no secret, only whether one is set.
    package var selfCheckSettings: SelfCheckSettings {
        SelfCheckSettings(
            storageEnabled: storageEnabled,
            production: environment == .production,
            region: region,
            s3: s3.map {
                SelfCheckSettings.S3(
                    bucket: $0.bucket,
                    endpoint: $0.endpoint,
                    publicEndpoint: $0.publicEndpoint,
                    kmsKeyID: $0.kmsKeyID,
                    hasSessionToken: $0.sessionToken != nil
                )
            },
            dataDirectory: dataDirectory,
            storageKeyConfigured: storageKey != nil,
            publicBaseURL: publicBaseURL,
            expectedEncryption: StorageComposition.expectedEncryption(self)
        )
    }
}
