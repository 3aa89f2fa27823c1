import Foundation

/// medvault's AWS Signature Version 4 signer: header signing for S3 calls, and query pre-signing for URLs handed to
/// browsers (and served by the local store, which checks them with `PresignedURLVerifier`).
///
/// Signing is a pure function of the arguments: the date is an input, nothing is read from the clock or the
/// environment, and nothing is logged. The four SigV4 stages live in `CanonicalRequest` (stage 1, from
/// `CanonicalURI`, `CanonicalQuery` and `CanonicalHeaders`), `SigningStages` (stages 2 and 3) and `SigningKey` (stage 4).
///
/// What pre-signing an S3 location takes is `public` (this type, `Credentials`, `S3Addressing`, and the types
/// their signatures name), for the pre-signing benchmark, a package of its own under `bench/presign`; the rest is
/// `package`.
public struct SigV4Signer: Sendable {
    /// The credentials signatures are made with.
    package let credentials: Credentials
    /// The region of the credential scope, e.g. `us-east-1` (MinIO accepts `us-east-1`).
    package let region: String
    /// The service of the credential scope: `s3` for medvault.
    package let service: String
    /// Where derived signing keys are kept; share one between signers and the verifier.
    package let cache: SigningKeyCache
    /// `.s3` (no path normalisation) unless signing for another AWS service.
    package let pathRule: CanonicalPathRule
    /// Whether header signing adds and signs `x-amz-content-sha256`; S3 requires it, other services do not use it.
    package let signsContentSHA256Header: Bool
    /// The pre-signed URL's own query parameters, their constant parts encoded once here.
    let signatureQuery: SignatureQueryParameters

    /// Creates a signer; throws if the credentials, region or service could not form a valid credential scope.
    public init(
        credentials: Credentials,
        region: String,
        service: String = "s3",
        cache: SigningKeyCache = SigningKeyCache(),
        pathRule: CanonicalPathRule = .s3,
        signsContentSHA256Header: Bool = true
    ) throws(SigV4Error) {
        try InputValidation.credentials(credentials)
        try InputValidation.scopeComponent(region)
        try InputValidation.scopeComponent(service)
        self.credentials = credentials
        self.region = region
        self.service = service
        self.cache = cache
        self.pathRule = pathRule
        self.signsContentSHA256Header = signsContentSHA256Header
        self.signatureQuery = SignatureQueryParameters(credentials: credentials, region: region, service: service)
    }

    /// Pre-signing accepts `X-Amz-Expires` in 1...604800 seconds (7 days), S3's limit.
    package static let expiryRange = 1...604_800

    /// The signing key for `date`'s day, from the cache.
    func signingKey(for date: AmzDate) -> SigningKey {
        self.cache.signingKey(
            accessKeyID: self.credentials.accessKeyID,
            secret: self.credentials.secretAccessKey,
            date: date,
            region: self.region,
            service: self.service
        )
    }

    /// Appends the path as it goes into a URL: with `.s3` it is the canonical URI; with `.normalized` the path is
    /// encoded once without normalising (the service normalises it on receipt).
    func appendURLPath(_ path: String, to output: inout [UInt8]) {
        if path.utf8.first != UInt8(ascii: "/") { output.append(UInt8(ascii: "/")) }
        URIEncoding.appendEncoded(path.utf8, keepSlash: true, to: &output)
    }
}
