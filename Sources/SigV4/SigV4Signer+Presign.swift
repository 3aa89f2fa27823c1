import Foundation

extension SigV4Signer {
    /// Every stage's output of one pre-signing, for tests; `url` is what `presign` returns.
    struct PresignedRequest {
        let canonicalRequest: [UInt8]
        let stringToSign: [UInt8]
        let signedHeaders: String
        let url: String

        /// The hex signature: the last 64 characters of the URL.
        var signature: String { String(self.url.suffix(64)) }
    }

    /// Pre-signs a request with query parameters ("Authenticating requests: using query parameters", S3 docs) and
    /// returns the full URL: `scheme://host/path?…&X-Amz-Signature=…`.
    ///
    /// - Parameters:
    ///   - path: the decoded path (`/bucket/key` or `/key`); it is URI-encoded here, never normalised for S3.
    ///   - query: extra parameters signed into the URL (`response-content-disposition`, `versionId`, `partNumber`,
    ///     `uploadId`, …), decoded; the signature's own `X-Amz-*` names are rejected.
    ///   - headers: extra headers to sign besides `host` (e.g. `x-amz-server-side-encryption`, `content-type`);
    ///     whoever uses the URL must send them with exactly these values.
    ///   - expires: seconds the URL stays valid, 1...604800.
    ///   - date: the signing time (`X-Amz-Date`); pass the clock's value, tests pass a fixed one.
    package func presign(
        method: String,
        scheme: String = "https",
        host: String,
        path: String,
        query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [],
        payloadHash: PayloadHash = .unsigned,
        expires: Int,
        date: Date
    ) throws(SigV4Error) -> String {
        try self.presignedRequest(
            method: method,
            scheme: scheme,
            host: host,
            path: path,
            query: query,
            headers: headers,
            payloadHash: payloadHash,
            expires: expires,
            date: date
        ).url
    }

    /// Pre-signs a request for an S3 object or bucket located with `S3Addressing`.
    package func presign(
        method: String,
        location: S3Location,
        query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [],
        expires: Int,
        date: Date
    ) throws(SigV4Error) -> String {
        try self.presign(
            method: method,
            scheme: location.scheme,
            host: location.host,
            path: location.path,
            query: query,
            headers: headers,
            expires: expires,
            date: date
        )
    }

    /// The whole pre-signing pipeline, written into byte buffers: stage 1 (canonical request), stage 2 (string to
    /// sign), stage 3 (cached signing key), stage 4 (signature), then the URL.
    func presignedRequest(
        method: String,
        scheme: String,
        host: String,
        path: String,
        query: [(name: String, value: String)],
        headers: [(name: String, value: String)],
        payloadHash: PayloadHash,
        expires: Int,
        date: Date
    ) throws(SigV4Error) -> PresignedRequest {
        guard Self.expiryRange.contains(expires) else { throw SigV4Error.invalidExpiry }
        try InputValidation.method(method)
        try InputValidation.scheme(scheme)
        try InputValidation.host(host)
        try InputValidation.query(query, presigning: true)
        try InputValidation.extraHeaders(headers)
        let amzDate = try AmzDate(date)

        // Stage 1: the canonical request. With only `host` signed (the common case) no header list is built.
        let canonicalHeaders: CanonicalHeaders? = headers.isEmpty ? nil : try CanonicalHeaders([("host", host)] + headers)
        let signedHeaders = canonicalHeaders?.signedHeaders ?? "host"
        var request: [UInt8] = []
        request.reserveCapacity(320 + 3 * path.utf8.count + host.utf8.count + (self.credentials.sessionToken?.utf8.count ?? 0) * 3)
        request.append(contentsOf: method.utf8)
        request.append(UInt8(ascii: "\n"))
        let pathStart = request.count
        CanonicalURI.append(path: path.utf8, rule: self.pathRule, to: &request)
        let pathEnd = request.count
        request.append(UInt8(ascii: "\n"))
        let queryStart = request.count
        self.appendPresignQuery(query, date: amzDate, expires: expires, signedHeaders: signedHeaders, to: &request)
        let queryEnd = request.count
        request.append(UInt8(ascii: "\n"))
        if let canonicalHeaders {
            canonicalHeaders.append(to: &request)
        } else {
            request.append(contentsOf: "host:".utf8)
            request.append(contentsOf: host.utf8)
            request.append(UInt8(ascii: "\n"))
        }
        request.append(UInt8(ascii: "\n"))
        request.append(contentsOf: signedHeaders.utf8)
        request.append(UInt8(ascii: "\n"))
        request.append(contentsOf: payloadHash.value.utf8)

        // Stages 2-4.
        let stringToSign = SigningStages.stringToSign(canonicalRequest: request, date: amzDate, region: self.region, service: self.service)
        let key = self.signingKey(for: amzDate)

        // The URL reuses the canonical query: it is already encoded and in a valid order.
        var url: [UInt8] = []
        url.reserveCapacity(scheme.utf8.count + host.utf8.count + request.count)
        url.append(contentsOf: scheme.utf8)
        url.append(contentsOf: "://".utf8)
        url.append(contentsOf: host.utf8)
        if self.pathRule == .s3 {
            url.append(contentsOf: request[pathStart..<pathEnd])
        } else {
            self.appendURLPath(path, to: &url)
        }
        url.append(UInt8(ascii: "?"))
        url.append(contentsOf: request[queryStart..<queryEnd])
        url.append(contentsOf: "&X-Amz-Signature=".utf8)
        key.appendSignature(of: stringToSign, to: &url)
        return PresignedRequest(
            canonicalRequest: request,
            stringToSign: stringToSign,
            signedHeaders: signedHeaders,
            url: String(decoding: url, as: UTF8.self)
        )
    }

    /// The signature's own query parameters, in canonical (sorted) order.
    private enum SignatureParameter {
        case algorithm, credential, date, expires, securityToken, signedHeaders

        static let withoutToken: [SignatureParameter] = [.algorithm, .credential, .date, .expires, .signedHeaders]
        static let withToken: [SignatureParameter] = [.algorithm, .credential, .date, .expires, .securityToken, .signedHeaders]

        var name: String {
            switch self {
            case .algorithm: "X-Amz-Algorithm"
            case .credential: "X-Amz-Credential"
            case .date: "X-Amz-Date"
            case .expires: "X-Amz-Expires"
            case .securityToken: "X-Amz-Security-Token"
            case .signedHeaders: "X-Amz-SignedHeaders"
            }
        }
    }

    /// Stage 1, line 3 for a pre-signed URL: the caller's parameters merged, in sorted order, with the signature's
    /// own (S3 signs `X-Amz-Security-Token` too). Both lists are sorted, so a merge suffices.
    private func appendPresignQuery(
        _ query: [(name: String, value: String)],
        date: AmzDate,
        expires: Int,
        signedHeaders: String,
        to output: inout [UInt8]
    ) {
        let own = self.credentials.sessionToken == nil ? SignatureParameter.withoutToken : SignatureParameter.withToken
        let extra = query.isEmpty ? [] : query.map { EncodedQueryParameter(name: $0.name, value: $0.value) }.sorted()
        var ownIndex = 0
        var extraIndex = 0
        while ownIndex < own.count || extraIndex < extra.count {
            if ownIndex + extraIndex > 0 { output.append(UInt8(ascii: "&")) }
            if extraIndex == extra.count
                || (ownIndex < own.count && own[ownIndex].name.utf8.lexicographicallyPrecedes(extra[extraIndex].name))
            {
                self.append(own[ownIndex], date: date, expires: expires, signedHeaders: signedHeaders, to: &output)
                ownIndex += 1
            } else {
                output.append(contentsOf: extra[extraIndex].name)
                output.append(UInt8(ascii: "="))
                output.append(contentsOf: extra[extraIndex].value)
                extraIndex += 1
            }
        }
    }

    private func append(_ parameter: SignatureParameter, date: AmzDate, expires: Int, signedHeaders: String, to output: inout [UInt8]) {
        output.append(contentsOf: parameter.name.utf8)
        output.append(UInt8(ascii: "="))
        switch parameter {
        case .algorithm:
            output.append(contentsOf: SigningStages.algorithm.utf8)
        case .credential:
            URIEncoding.appendEncoded(self.credentials.accessKeyID.utf8, keepSlash: false, to: &output)
            output.append(contentsOf: "%2F".utf8)
            SigningStages.appendScope(date: date, region: self.region, service: self.service, encodeSlash: true, to: &output)
        case .date:
            date.appendTimestamp(to: &output)
        case .expires:
            output.append(contentsOf: String(expires).utf8)
        case .securityToken:
            URIEncoding.appendEncoded((self.credentials.sessionToken ?? "").utf8, keepSlash: false, to: &output)
        case .signedHeaders:
            URIEncoding.appendEncoded(signedHeaders.utf8, keepSlash: false, to: &output)
        }
    }
}
