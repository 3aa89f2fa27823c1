import Documents
import Foundation

/// Download URLs through a CloudFront distribution in front of the S3 bucket, for the categories configured to go
/// through the CDN (profile pictures, therapy videos); every other document keeps S3's own pre-signed URLs.
///
/// The object path under the distribution is the object's key, so the distribution's origin is the bucket itself.
/// CloudFront cannot pin the response's type and file name the way S3's `response-*` parameters do: the object's
/// stored `Content-Type` is what CloudFront serves.
package struct CloudFrontURLs: Sendable {
    /// The distribution's URL without a trailing `/` (`AWS_CLOUDFRONT_URL`).
    package let distribution: String
    package let signer: CloudFrontSigner
    /// The categories whose URLs go through CloudFront.
    package let categories: Set<FileCategory>

    package init(distribution: URL, signer: CloudFrontSigner, categories: Set<FileCategory>) {
        var base = distribution.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.distribution = base
        self.signer = signer
        self.categories = categories
    }

    /// Whether documents of `category` are delivered through CloudFront.
    package func serves(_ category: FileCategory) -> Bool { categories.contains(category) }

    /// A signed GET URL for `key`, valid for `expires` seconds from `date` (the expiry in whole seconds, as the
    /// canned policy carries it).
    package func signedGetURL(key: String, expires: Int, date: Date) throws(CloudFrontSignerError) -> String {
        let until = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(expires)
        return try signer.signedURL(resource: CloudFrontSigner.resourceURL(base: distribution, objectKey: key), expires: until)
    }
}
