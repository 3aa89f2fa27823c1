/// Stage 1 — "Create a canonical request": the six lines, written once into one byte buffer.
///
/// `method \n canonical URI \n canonical query \n canonical headers \n signed headers \n payload hash`, with no
/// newline after the last line. Header signing, pre-signing and `PresignedURLVerifier` all build theirs here, so
/// the three cannot drift apart; each supplies only what differs (where the path comes from, how the query is
/// written). The URI and query lines are already encoded and in a valid order, so the signers copy them into the
/// URL they return instead of encoding twice: `uriRange` and `queryRange` say where they are.
struct CanonicalRequest {
    /// Where line 4, the canonical headers, comes from.
    enum HeaderLines {
        /// `host:<host>` alone: a pre-signed URL that signs no other header, written without building a header list.
        case hostOnly(String)
        /// Any set of headers, already canonicalised.
        case canonical(CanonicalHeaders)
    }

    /// The canonical request, as stage 2 hashes it.
    let bytes: [UInt8]
    /// Line 2, the canonical URI, within `bytes`.
    let uriRange: Range<Int>
    /// Line 3, the canonical query (empty when there is none), within `bytes`.
    let queryRange: Range<Int>

    /// Writes the six lines.
    ///
    /// - Parameters:
    ///   - path: for `.s3` the decoded path; for `.normalized` the path as sent on the wire (see `CanonicalURI`).
    ///   - appendQuery: writes line 3, already encoded and sorted, with no trailing newline.
    ///   - signedHeaders: line 5; it must list the names of `headers`, which a pre-signed URL also carries in its
    ///     query (hence given, not derived here).
    ///   - capacity: the bytes to reserve up front, the caller's estimate, so that writing rarely reallocates.
    @inline(__always)
    init(
        method: String,
        path: some Collection<UInt8>,
        rule: CanonicalPathRule,
        appendQuery: (inout [UInt8]) -> Void,
        headers: HeaderLines,
        signedHeaders: String,
        payloadHash: PayloadHash,
        capacity: Int
    ) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        bytes.append(contentsOf: method.utf8)
        bytes.append(UInt8(ascii: "\n"))
        let uriStart = bytes.count
        CanonicalURI.append(path: path, rule: rule, to: &bytes)
        self.uriRange = uriStart..<bytes.count
        bytes.append(UInt8(ascii: "\n"))
        let queryStart = bytes.count
        appendQuery(&bytes)
        self.queryRange = queryStart..<bytes.count
        bytes.append(UInt8(ascii: "\n"))
        switch headers {
        case .hostOnly(let host):
            bytes.append(contentsOf: "host:".utf8)
            bytes.append(contentsOf: host.utf8)
            bytes.append(UInt8(ascii: "\n"))
        case .canonical(let canonicalHeaders):
            canonicalHeaders.append(to: &bytes)
        }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: signedHeaders.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: payloadHash.value.utf8)
        self.bytes = bytes
    }

    /// Line 2, as the URL's path when the canonical URI is what goes on the wire (S3's rule).
    var uri: ArraySlice<UInt8> { self.bytes[self.uriRange] }
    /// Line 3, as the URL's query string.
    var query: ArraySlice<UInt8> { self.bytes[self.queryRange] }
}
