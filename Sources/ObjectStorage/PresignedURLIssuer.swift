import Foundation

/// Issues time-limited SigV4 URLs through which a browser or service fetches one object without
/// medvault's credentials: S3's own pre-signed URLs, or the local store's URLs to medvault itself.
///
/// The response headers a URL pins (`response-content-type`, `response-content-disposition`) are signed
/// in, so the URL cannot be edited to serve the bytes as something else.
package protocol PresignedURLIssuer: Sendable {
    /// A GET URL for `key` valid for `expires` seconds from `date` (1 … 604800, SigV4's bounds).
    func presignedGetURL(
        key: String,
        expires: Int,
        responseContentType: String,
        responseContentDisposition: String,
        date: Date
    ) throws -> String
}
