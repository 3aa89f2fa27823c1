import Foundation
import ObjectStorage

extension AppConfiguration {
    /// The bucket configuration `medvault bucket setup` writes and `bucket check` compares: CORS for the origin of
    /// `MEDVAULT_PUBLIC_URL` with the headers direct uploads send, the SSE of `AWS_KMS_KEY_ID`, and `temp/` expiry after
    /// `MEDVAULT_TEMP_RETENTION_DAYS`.
    /// - Parameter uploadHeaders: the headers a direct upload's URL lists besides `Content-Length` (the store's SSE
    ///   headers); `x-amz-checksum-sha256` and `content-type` are added here.
    /// - Throws: ``ConfigurationError`` when `MEDVAULT_PUBLIC_URL` is unset: the listen address is not an origin a
    ///   browser loads pages from, and a CORS rule for the wrong origin fails only in the user's browser.
    package func bucketConfiguration(uploadHeaders: [String]) throws(ConfigurationError) -> BucketConfiguration {
        guard let publicURL, let scheme = publicURL.scheme, let host = publicURL.host else {
            throw .invalid("MEDVAULT_PUBLIC_URL must be set: the bucket's CORS rule allows the browser origin it names")
        }
        let origin = "\(scheme)://\(host.contains(":") ? "[\(host)]" : host)\(publicURL.port.map { ":\($0)" } ?? "")"
        var headers = ["content-type", "x-amz-checksum-sha256"]
        for name in uploadHeaders.map({ $0.lowercased() }) where !headers.contains(name) { headers.append(name) }
        return .medvault(allowedOrigin: origin, uploadHeaders: headers, kmsKeyID: s3?.kmsKeyID, tempRetentionDays: lifecycle.tempRetentionDays)
    }
}
