import Documents
import Foundation
import ObjectStorage

extension SelfCheck {
    /// (1) The feature flag `ENABLE_AWS_S3_STORAGE` is on.
    func checkFeatureFlag() throws(SelfCheckFailure) -> String {
        guard settings.storageEnabled else {
            throw SelfCheckFailure("ENABLE_AWS_S3_STORAGE is off: document storage is disabled and the document endpoints answer 503.")
        }
        return "ENABLE_AWS_S3_STORAGE is on: document storage is enabled."
    }

    /// (2) The configuration is complete: for S3, which of the access key, the secret and the bucket are missing;
    /// for the local store, where the data and the master key come from. Never a secret's value.
    func checkConfiguration() throws(SelfCheckFailure) -> String {
        if let s3 = settings.s3 {
            let host =
                s3.endpoint.flatMap { url in url.host.map { host in url.port.map { "\(host):\($0)" } ?? host } }
                ?? "s3.\(settings.region).amazonaws.com"
            let encryption = s3.kmsKeyID == nil ? "SSE-S3 (AES256)" : "SSE-KMS"
            let token = !s3.hasSessionToken ? "" : ", with a session token"
            let publicHost = s3.publicEndpoint.flatMap { url in url.host.map { host in url.port.map { "\(host):\($0)" } ?? host } }
            return "S3: bucket \(s3.bucket) at \(host), region \(settings.region), \(encryption); "
                + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set\(token)"
                + (publicHost.map { "; pre-signed URLs are signed for \($0) (AWS_S3_PUBLIC_ENDPOINT)." } ?? ".")
                + (try checkCloudFront())
        }
        let missing = missingS3Settings.joined(separator: ", ")
        if settings.production {
            throw SelfCheckFailure(
                "S3 is required in production (MEDVAULT_ENV=production) but is not configured"
                    + (missing.isEmpty ? "." : "; missing: \(missing).")
            )
        }
        if !missingS3Settings.isEmpty, missingS3Settings.count < S3SettingsPresence.settingCount {
            throw SelfCheckFailure("S3 settings are incomplete, so medvault uses the local store instead; missing: \(missing).")
        }
        let keySource =
            settings.storageKeyConfigured
            ? "MEDVAULT_STORAGE_KEY"
            : "the key file \(settings.dataDirectory.appendingPathComponent(StorageKeyProvider.keyFileName).path) (mode 0600)"
        return "Local store under \(settings.dataDirectory.path); master key from \(keySource); "
            + "pre-signed URLs point at \(settings.publicBaseURL.absoluteString). S3 is not configured."
    }

    /// With CloudFront signing configured: the key signs a URL for a sample key, and that URL parses back to the resource
    /// it names and verifies with the key's public half, as CloudFront would check it.
    func checkCloudFront() throws(SelfCheckFailure) -> String {
        guard let cloudFront else { return "" }
        let sampleKey = KeyLayout.tempKey(documentID: UUID(), fileName: "self check.pdf").rawValue
        let resource = CloudFrontSigner.resourceURL(base: cloudFront.distribution, objectKey: sampleKey)
        guard let url = try? cloudFront.signedGetURL(key: sampleKey, expires: 60, date: now()), cloudFront.signer.verifies(url, resource: resource)
        else {
            throw SelfCheckFailure("The CloudFront key (AWS_CLOUDFRONT_PRIVATE_KEY_FILE) does not sign URLs that verify.")
        }
        let categories = cloudFront.categories.map(\.rawValue).sorted().joined(separator: ", ")
        return " CloudFront: key pair \(cloudFront.signer.keyPairID) signs canned-policy URLs that verify, for \(categories)."
    }
}
