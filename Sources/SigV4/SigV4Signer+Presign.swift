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
    public func presign(
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
        let request = CanonicalRequest(
            method: method,
            path: path.utf8,
            rule: self.pathRule,
            appendQuery: { self.appendPresignQuery(query, date: amzDate, expires: expires, signedHeaders: signedHeaders, to: &$0) },
            headers: canonicalHeaders.map { .canonical($0) } ?? .hostOnly(host),
            signedHeaders: signedHeaders,
            payloadHash: payloadHash,
            capacity: 320 + 3 * path.utf8.count + host.utf8.count + 3 * (self.credentials.sessionToken?.utf8.count ?? 0)
                + query.reduce(0) { $0 + 3 * ($1.name.utf8.count + $1.value.utf8.count) + 2 }
        )

        // Stages 2-4.
        let stringToSign = SigningStages.stringToSign(canonicalRequest: request.bytes, date: amzDate, region: self.region, service: self.service)
        let key = self.signingKey(for: amzDate)

        // The URL reuses the canonical query: it is already encoded and in a valid order. Its length is known
        // exactly, so it is written straight into the string's storage (no byte array to copy from).
        var urlPath = request.uri
        if self.pathRule != .s3 {
            var encodedPath: [UInt8] = []
            self.appendURLPath(path, to: &encodedPath)
            urlPath = encodedPath[...]
        }
        let urlQuery = request.query
        let signatureStart = "&X-Amz-Signature=".utf8
        let urlCount =
            scheme.utf8.count + 3 + host.utf8.count + urlPath.count + 1 + urlQuery.count + signatureStart.count + SigningKey.signatureHexCount
        let url = String(unsafeUninitializedCapacity: urlCount) { buffer in
            var written = 0
            func write(_ bytes: some Collection<UInt8>) {
                written += UnsafeMutableBufferPointer(rebasing: buffer[written...]).initialize(fromContentsOf: bytes)
            }
            write(scheme.utf8)
            write("://".utf8)
            write(host.utf8)
            write(urlPath)
            write("?".utf8)
            write(urlQuery)
            write(signatureStart)
            key.writeSignature(of: stringToSign, to: UnsafeMutableBufferPointer(rebasing: buffer[written...]))
            return written + SigningKey.signatureHexCount
        }
        return PresignedRequest(canonicalRequest: request.bytes, stringToSign: stringToSign, signedHeaders: signedHeaders, url: url)
    }

    /// Stage 1, line 3 for a pre-signed URL: the caller's parameters merged, in canonical order, with the signature's
    /// own (S3 signs `X-Amz-Security-Token` too). The caller's are sorted by their encoded form without being
    /// encoded first (indices in a stack buffer), then encoded straight into `output`; the signature's are sorted
    /// already, so a merge suffices.
    private func appendPresignQuery(
        _ query: [(name: String, value: String)],
        date: AmzDate,
        expires: Int,
        signedHeaders: String,
        to output: inout [UInt8]
    ) {
        let own = self.signatureQuery.sorted
        withUnsafeTemporaryAllocation(of: Int.self, capacity: query.count) { buffer in
            var extra = buffer
            _ = extra.initialize(fromContentsOf: query.indices)
            extra.sort { CanonicalQuery.precedes(query[$0], query[$1]) }
            var ownIndex = 0
            var extraIndex = 0
            while ownIndex < own.count || extraIndex < extra.count {
                if ownIndex + extraIndex > 0 { output.append(UInt8(ascii: "&")) }
                if extraIndex == extra.count
                    || (ownIndex < own.count && URIEncoding.compareEncoded(own[ownIndex].name.text.utf8, query[extra[extraIndex]].name.utf8) < 0)
                {
                    self.signatureQuery.append(own[ownIndex], date: date, expires: expires, signedHeaders: signedHeaders, to: &output)
                    ownIndex += 1
                } else {
                    let parameter = query[extra[extraIndex]]
                    URIEncoding.appendEncoded(parameter.name.utf8, keepSlash: false, to: &output)
                    output.append(UInt8(ascii: "="))
                    URIEncoding.appendEncoded(parameter.value.utf8, keepSlash: false, to: &output)
                    extraIndex += 1
                }
            }
        }
    }
}
