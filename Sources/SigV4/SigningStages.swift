import Crypto

/// Stages 2 and 3 of SigV4, and the credential scope they share.
enum SigningStages {
    /// The only algorithm medvault signs with.
    static let algorithm = "AWS4-HMAC-SHA256"
    /// The terminator of every credential scope.
    static let scopeTerminator = "aws4_request"

    /// The credential scope `YYYYMMDD/region/service/aws4_request`, appended raw (a pre-signed URL's
    /// `X-Amz-Credential` carries it encoded, from `SignatureQueryParameters`).
    static func appendScope(date: AmzDate, region: String, service: String, to output: inout [UInt8]) {
        date.appendDateStamp(to: &output)
        output.append(UInt8(ascii: "/"))
        output.append(contentsOf: region.utf8)
        output.append(UInt8(ascii: "/"))
        output.append(contentsOf: service.utf8)
        output.append(UInt8(ascii: "/"))
        output.append(contentsOf: scopeTerminator.utf8)
    }

    /// Stage 2 — "Create a string to sign":
    /// `AWS4-HMAC-SHA256 \n timestamp \n scope \n hex(SHA256(canonicalRequest))`.
    static func stringToSign(canonicalRequest: [UInt8], date: AmzDate, region: String, service: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(algorithm.utf8.count + 16 + region.utf8.count + service.utf8.count + 100)
        output.append(contentsOf: algorithm.utf8)
        output.append(UInt8(ascii: "\n"))
        date.appendTimestamp(to: &output)
        output.append(UInt8(ascii: "\n"))
        appendScope(date: date, region: region, service: service, to: &output)
        output.append(UInt8(ascii: "\n"))
        SHA256.hash(data: canonicalRequest).withUnsafeBytes { URIEncoding.appendLowerHex($0, to: &output) }
        return output
    }

    /// Stage 3 — "Derive a signing key":
    /// `kDate = HMAC("AWS4" + secret, YYYYMMDD)`, `kRegion = HMAC(kDate, region)`, `kService = HMAC(kRegion, service)`,
    /// `kSigning = HMAC(kService, "aws4_request")`.
    static func deriveSigningKey(secret: String, date: AmzDate, region: String, service: String) -> SigningKey {
        let dateStamp = date.dateStamp
        let secretKey = SymmetricKey(data: Array(("AWS4" + secret).utf8))
        let kDate = HMAC<SHA256>.authenticationCode(for: Array(dateStamp.utf8), using: secretKey)
        let kRegion = HMAC<SHA256>.authenticationCode(for: Array(region.utf8), using: SymmetricKey(data: kDate))
        let kService = HMAC<SHA256>.authenticationCode(for: Array(service.utf8), using: SymmetricKey(data: kRegion))
        let kSigning = HMAC<SHA256>.authenticationCode(for: Array(scopeTerminator.utf8), using: SymmetricKey(data: kService))
        return SigningKey(key: SymmetricKey(data: kSigning), dateStamp: dateStamp)
    }
}
