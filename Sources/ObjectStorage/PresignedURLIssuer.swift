import Foundation

/// Issues time-limited SigV4 URLs through which a browser or service fetches one object without
/// medvault's credentials: S3's own pre-signed URLs, or the local store's URLs to medvault itself.
///
/// The response headers a URL pins (`response-content-type`, `response-content-disposition`) are signed
/// in, so the URL cannot be edited to serve the bytes as something else.
package protocol PresignedURLIssuer: Sendable {
    /// Whether medvault itself verifies these URLs when they are fetched, and so can refuse those signed before a
    /// document's revocation. Where it cannot (S3 serves its URLs alone), revoking moves the object to a fresh key.
    var verifiesSigningTime: Bool { get }

    /// A GET URL for `key` valid for `expires` seconds from `date` (1 … 604800, SigV4's bounds).
    func presignedGetURL(
        key: String,
        expires: Int,
        responseContentType: String,
        responseContentDisposition: String,
        date: Date
    ) throws -> String

    /// The same URL, issued to `issuedTo` (opaque text naming who asked for it). An issuer whose URLs are fetched
    /// from medvault itself signs it into the URL, so that each fetch can be audited against whom the URL was issued
    /// to, and an edited recipient breaks the signature like any other edit.
    func presignedGetURL(
        key: String,
        expires: Int,
        responseContentType: String,
        responseContentDisposition: String,
        issuedTo: String,
        date: Date
    ) throws -> String

    /// The headers a whole-object PUT through a pre-signed URL must carry besides its length and checksum: the
    /// server-side encryption the configuration asks for on S3 (signed in, so S3 refuses the PUT without it), none
    /// on the local store, which encrypts every object itself.
    var putObjectHeaders: [(name: String, value: String)] { get }

    /// A PUT URL for `key` valid for `expires` seconds from `date`, through which a client sends bytes straight to
    /// storage (direct uploads). `query` adds signed parameters (`partNumber`, `uploadId` for a part); `headers` are
    /// signed in, so a request without exactly these values (`content-length`, `x-amz-checksum-sha256`, the SSE
    /// headers) is refused by whoever checks the signature.
    func presignedPutURL(
        key: String,
        query: [(name: String, value: String)],
        headers: [(name: String, value: String)],
        expires: Int,
        date: Date
    ) throws -> String
}

extension PresignedURLIssuer {
    /// S3's URLs are checked by S3 alone.
    package var verifiesSigningTime: Bool { false }

    /// Ignores the recipient: the fetches of such URLs (S3's) never reach medvault, so there is nothing to audit
    /// them with; the `document.presign` row records whom the URL was issued to.
    package func presignedGetURL(
        key: String,
        expires: Int,
        responseContentType: String,
        responseContentDisposition: String,
        issuedTo _: String,
        date: Date
    ) throws -> String {
        try presignedGetURL(
            key: key,
            expires: expires,
            responseContentType: responseContentType,
            responseContentDisposition: responseContentDisposition,
            date: date
        )
    }
}
