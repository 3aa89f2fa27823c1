import Crypto
import Foundation
import SigV4

/// Pre-signed URLs for the local store: real SigV4 query-signed URLs that point at medvault itself
/// (`GET /api/v2/aws/s3/objects/{key}`) and are checked by the `SigV4` verifier, so that expiry and
/// tampering behave exactly as they do on S3 (DESIGN.md, "Storage backends").
///
/// The signing secret is derived from the store's master key with HKDF-SHA256, so it is stable across
/// restarts, needs no configuration of its own, and never leaves the process.
package struct LocalPresignedURLs: PresignedURLIssuer {
    /// The path under which pre-signed objects are served; the key follows it.
    package static let pathPrefix = "/api/v2/aws/s3/objects/"
    /// The access key id written into the URLs' credential scope.
    package static let accessKeyID = "MEDVAULTLOCAL"
    /// The query parameter naming whom a URL was issued to (the server's `PresignedURLRecipient`); signed like every other.
    package static let issuedToParameter = "x-medvault-issued-to"

    let baseURL: URL
    let region: String
    private let signer: SigV4Signer
    /// Checks the URLs this issuer signed: the server's pre-signed object route, and the self-check without a server.
    package let verifier: PresignedURLVerifier

    package init(baseURL: URL, region: String, masterKey: SymmetricKey) throws {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: masterKey,
            info: Data("medvault local pre-signed URL signing key v1".utf8),
            outputByteCount: 32
        )
        let secret = derived.withUnsafeBytes { Data($0).base64EncodedString() }
        let cache = SigningKeyCache()
        self.baseURL = baseURL
        self.region = region
        self.signer = try SigV4Signer(
            credentials: Credentials(accessKeyID: Self.accessKeyID, secretAccessKey: secret),
            region: region,
            cache: cache
        )
        self.verifier = PresignedURLVerifier(region: region, cache: cache) { accessKeyID in
            accessKeyID == Self.accessKeyID ? secret : nil
        }
    }

    /// ``PresignedObjectController`` verifies every fetch, and refuses URLs signed before the document's revocation.
    package var verifiesSigningTime: Bool { true }

    package func presignedGetURL(
        key: String,
        expires: Int,
        responseContentType: String,
        responseContentDisposition: String,
        date: Date
    ) throws -> String {
        try presign(key: key, expires: expires, contentType: responseContentType, disposition: responseContentDisposition, issuedTo: nil, date: date)
    }

    /// Signs `issuedTo` in as ``issuedToParameter``, which the server's pre-signed object route reads back, once the
    /// signature over it has verified, to audit each fetch against whom the URL was issued to.
    package func presignedGetURL(
        key: String,
        expires: Int,
        responseContentType: String,
        responseContentDisposition: String,
        issuedTo: String,
        date: Date
    ) throws -> String {
        try presign(
            key: key,
            expires: expires,
            contentType: responseContentType,
            disposition: responseContentDisposition,
            issuedTo: issuedTo,
            date: date
        )
    }

    /// The local store encrypts every object itself: a PUT needs no encryption header.
    package var putObjectHeaders: [(name: String, value: String)] { [] }

    /// A PUT URL to medvault itself (`PUT /api/v2/aws/s3/objects/{key}`), served by ``StagedObjectController``,
    /// which verifies the signature over the signed headers as S3 would.
    package func presignedPutURL(
        key: String,
        query: [(name: String, value: String)],
        headers: [(name: String, value: String)],
        expires: Int,
        date: Date
    ) throws -> String {
        try sign(method: "PUT", key: key, query: query, headers: headers, expires: expires, date: date)
    }

    private func presign(key: String, expires: Int, contentType: String, disposition: String, issuedTo: String?, date: Date) throws -> String {
        var query = [(name: "response-content-disposition", value: disposition), (name: "response-content-type", value: contentType)]
        if let issuedTo { query.append((name: Self.issuedToParameter, value: issuedTo)) }
        return try sign(method: "GET", key: key, query: query, headers: [], expires: expires, date: date)
    }

    private func sign(
        method: String,
        key: String,
        query: [(name: String, value: String)],
        headers: [(name: String, value: String)],
        expires: Int,
        date: Date
    ) throws -> String {
        guard let host = baseURL.host else { throw StorageError.failure("MEDVAULT_PUBLIC_URL has no host.") }
        let authority = baseURL.port.map { "\(host):\($0)" } ?? host
        return try signer.presign(
            method: method,
            scheme: baseURL.scheme ?? "http",
            host: authority,
            path: Self.pathPrefix + key,
            query: query,
            headers: headers,
            expires: expires,
            date: date
        )
    }
}
