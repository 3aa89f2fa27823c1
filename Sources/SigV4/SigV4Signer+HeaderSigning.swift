import Foundation

/// What header signing produces: the URL to send and the headers to add to the request.
package struct SignedRequestHeaders: Sendable {
    /// `scheme://host/encoded-path[?canonical-query]`: send the request to exactly this URL, or the signature breaks.
    package let url: String
    /// Headers to add, in this order: `X-Amz-Security-Token` (with temporary credentials), `X-Amz-Date`,
    /// `X-Amz-Content-SHA256` (S3), `Authorization`. `Host` comes from the URL; the caller's own signed headers
    /// must be sent unchanged.
    package let headers: [(name: String, value: String)]
    /// The `Authorization` header value.
    package let authorization: String
    /// The hex signature.
    package let signature: String
    /// The signed-headers list, e.g. `host;x-amz-content-sha256;x-amz-date`.
    package let signedHeaders: String
    /// Stage 1 output, kept for tests.
    let canonicalRequest: String
    /// Stage 2 output, kept for tests.
    let stringToSign: String
}

extension SigV4Signer {
    /// Signs a request with an `Authorization` header ("Authenticating requests: using the Authorization header",
    /// S3 docs), for any method.
    ///
    /// - Parameters:
    ///   - path: the decoded path (`/bucket/key` or `/key`), URI-encoded here.
    ///   - query: decoded query parameters (e.g. `uploadId`, `partNumber`, `list-type`), signed and put in `url`.
    ///   - headers: the request's headers to sign besides those the signer sets (`content-type`,
    ///     `x-amz-server-side-encryption`, `x-amz-checksum-sha256`, `range`, …); repeated names are merged.
    ///   - payloadHash: the body's SHA-256 (or `.unsigned`); S3 also receives it as `x-amz-content-sha256`.
    ///   - date: the signing time.
    package func signHeaders(
        method: String,
        scheme: String = "https",
        host: String,
        path: String,
        query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [],
        payloadHash: PayloadHash,
        date: Date
    ) throws(SigV4Error) -> SignedRequestHeaders {
        try InputValidation.method(method)
        try InputValidation.scheme(scheme)
        try InputValidation.host(host)
        try InputValidation.query(query, presigning: false)
        try InputValidation.extraHeaders(headers)
        let amzDate = try AmzDate(date)
        let timestamp = amzDate.timestamp

        var added: [(name: String, value: String)] = []
        if let token = self.credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        added.append(("X-Amz-Date", timestamp))
        if self.signsContentSHA256Header { added.append(("X-Amz-Content-SHA256", payloadHash.value)) }

        // Stage 1: the canonical request.
        let canonicalHeaders = try CanonicalHeaders([("host", host)] + headers + added)
        let signedHeaders = canonicalHeaders.signedHeaders
        let encodedQuery = query.map { EncodedQueryParameter(name: $0.name, value: $0.value) }.sorted()
        let request = CanonicalRequest(
            method: method,
            path: path.utf8,
            rule: self.pathRule,
            appendQuery: { CanonicalQuery.append(sorted: encodedQuery, to: &$0) },
            headers: .canonical(canonicalHeaders),
            signedHeaders: signedHeaders,
            payloadHash: payloadHash,
            capacity: 512
        )

        // Stages 2-4.
        let stringToSign = SigningStages.stringToSign(canonicalRequest: request.bytes, date: amzDate, region: self.region, service: self.service)
        var signatureBytes: [UInt8] = []
        signatureBytes.reserveCapacity(64)
        self.signingKey(for: amzDate).appendSignature(of: stringToSign, to: &signatureBytes)
        let signature = String(decoding: signatureBytes, as: UTF8.self)

        var scope: [UInt8] = []
        SigningStages.appendScope(date: amzDate, region: self.region, service: self.service, to: &scope)
        let authorization =
            "\(SigningStages.algorithm) Credential=\(self.credentials.accessKeyID)/\(String(decoding: scope, as: UTF8.self)), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        added.append(("Authorization", authorization))

        var url: [UInt8] = Array("\(scheme)://\(host)".utf8)
        self.appendURLPath(path, to: &url)
        if !request.queryRange.isEmpty {
            url.append(UInt8(ascii: "?"))
            url.append(contentsOf: request.query)
        }
        return SignedRequestHeaders(
            url: String(decoding: url, as: UTF8.self),
            headers: added,
            authorization: authorization,
            signature: signature,
            signedHeaders: signedHeaders,
            canonicalRequest: String(decoding: request.bytes, as: UTF8.self),
            stringToSign: String(decoding: stringToSign, as: UTF8.self)
        )
    }

    /// Signs a request for an S3 object or bucket located with `S3Addressing`.
    package func signHeaders(
        method: String,
        location: S3Location,
        query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [],
        payloadHash: PayloadHash,
        date: Date
    ) throws(SigV4Error) -> SignedRequestHeaders {
        try self.signHeaders(
            method: method,
            scheme: location.scheme,
            host: location.host,
            path: location.path,
            query: query,
            headers: headers,
            payloadHash: payloadHash,
            date: date
        )
    }
}
