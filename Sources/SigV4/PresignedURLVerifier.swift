import Foundation

/// Checks a pre-signed URL the way S3 does, so medvault's local store can serve its own pre-signed URLs with the
/// same expiry and tamper behaviour as S3.
///
/// It recomputes the signature from the request as received (method, raw path, raw query, headers) and compares
/// it in constant time. The payload is taken as `UNSIGNED-PAYLOAD`, as in every pre-signed S3 URL.
package struct PresignedURLVerifier: Sendable {
    /// Looks up the secret of an access key ID; nil for an unknown key.
    package typealias SecretLookup = @Sendable (_ accessKeyID: String) -> String?

    /// What a successful verification established.
    package struct Verification: Sendable, Hashable {
        /// The access key that signed the URL.
        package let accessKeyID: String
        /// `X-Amz-Date`.
        package let signedAt: Date
        /// `X-Amz-Date + X-Amz-Expires`; the URL is refused after it.
        package let expiresAt: Date
        /// The signed header names (always including `host`).
        package let signedHeaders: [String]
    }

    /// The region every accepted URL must be scoped to.
    package let region: String
    /// The service every accepted URL must be scoped to (`s3`).
    package let service: String
    /// Shared with the signers, so a key derived for signing serves verification too.
    package let cache: SigningKeyCache
    /// How long `X-Amz-Date` may lie in the future: 15 minutes, S3's clock-skew allowance.
    package let allowedClockSkew: Int
    private let pathRule: CanonicalPathRule
    private let secretForAccessKey: SecretLookup

    /// Creates a verifier for URLs scoped to `region`/`service`, with secrets from `secretForAccessKey`.
    package init(
        region: String,
        service: String = "s3",
        cache: SigningKeyCache = SigningKeyCache(),
        pathRule: CanonicalPathRule = .s3,
        allowedClockSkew: Int = 900,
        secretForAccessKey: @escaping SecretLookup
    ) {
        self.region = region
        self.service = service
        self.cache = cache
        self.pathRule = pathRule
        self.allowedClockSkew = allowedClockSkew
        self.secretForAccessKey = secretForAccessKey
    }

    /// Verifies a request made with a pre-signed URL.
    ///
    /// - Parameters:
    ///   - method: the request method, as received.
    ///   - rawPath: the path as received, still percent-encoded (no query).
    ///   - rawQuery: the query string as received, without `?`.
    ///   - headers: the request's headers; every signed header must be present (`host` always is).
    ///   - now: the current time (an input, so tests are exact).
    /// - Throws: `SigV4VerificationError`, whose `code` says why.
    package func verify(
        method: String,
        rawPath: String,
        rawQuery: String,
        headers: [(name: String, value: String)],
        now: Date
    ) throws(SigV4VerificationError) -> Verification {
        let query = try PresignedQuery(raw: rawQuery)
        guard query.algorithm == SigningStages.algorithm else {
            throw SigV4VerificationError.malformed.with(message: "X-Amz-Algorithm must be AWS4-HMAC-SHA256")
        }
        guard let date = try? AmzDate(parsing: query.date) else {
            throw SigV4VerificationError.malformed.with(message: "X-Amz-Date must look like 20130524T000000Z")
        }
        let expires = try Self.expires(query.expires)
        let accessKeyID = try self.checkScope(credential: query.credential, date: date)
        let providedSignature = try Self.signatureBytes(query.signature)
        let signedHeaderNames = try Self.signedHeaderNames(query.signedHeaders)
        guard let secret = self.secretForAccessKey(accessKeyID) else { throw SigV4VerificationError.unknownAccessKey }

        // Stage 1, from the request as received.
        let path: [UInt8]
        switch self.pathRule {
        case .s3:
            guard let decodedPath = URIEncoding.percentDecoded(rawPath.utf8) else {
                throw SigV4VerificationError.malformed.with(message: "the path has a malformed percent escape")
            }
            path = decodedPath
        case .normalized:
            path = Array(rawPath.utf8)
        }
        let signedHeaderLines = try Self.canonicalHeaders(signedHeaderNames, from: headers)
        let request = CanonicalRequest(
            method: method,
            path: path,
            rule: self.pathRule,
            appendQuery: { CanonicalQuery.append(sorted: query.signedParameters, to: &$0) },
            headers: .canonical(signedHeaderLines),
            signedHeaders: query.signedHeaders,
            payloadHash: .unsigned,
            capacity: 512 + rawPath.utf8.count + rawQuery.utf8.count
        )

        // Stages 2-4, then a constant-time comparison.
        let stringToSign = SigningStages.stringToSign(canonicalRequest: request.bytes, date: date, region: self.region, service: self.service)
        let key = self.cache.signingKey(accessKeyID: accessKeyID, secret: secret, date: date, region: self.region, service: self.service)
        var expected: [UInt8] = []
        expected.reserveCapacity(64)
        key.appendSignature(of: stringToSign, to: &expected)
        guard Self.constantTimeEquals(expected, providedSignature) else { throw SigV4VerificationError.signatureMismatch }

        // Time, checked on authentic URLs only, so `expired` never describes a forged one.
        let nowSeconds = now.timeIntervalSince1970
        guard Double(date.epochSeconds) <= nowSeconds + Double(self.allowedClockSkew) else { throw SigV4VerificationError.notYetValid }
        guard nowSeconds <= Double(date.epochSeconds + expires) else { throw SigV4VerificationError.expired }
        return Verification(
            accessKeyID: accessKeyID,
            signedAt: date.date,
            expiresAt: Date(timeIntervalSince1970: TimeInterval(date.epochSeconds + expires)),
            signedHeaders: signedHeaderNames
        )
    }

    /// `X-Amz-Expires`: decimal seconds, at least 1; more than 604800 is `expiryTooLong`.
    private static func expires(_ text: String) throws(SigV4VerificationError) -> Int {
        guard (1...12).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let seconds = Int(text), seconds >= 1
        else {
            throw SigV4VerificationError.malformed.with(message: "X-Amz-Expires must be a positive number of seconds")
        }
        guard seconds <= SigV4Signer.expiryRange.upperBound else { throw SigV4VerificationError.expiryTooLong }
        return seconds
    }

    /// Splits `AKID/YYYYMMDD/region/service/aws4_request` and checks the scope; returns the access key ID.
    private func checkScope(credential: String, date: AmzDate) throws(SigV4VerificationError) -> String {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, !parts[0].isEmpty, parts[4] == SigningStages.scopeTerminator else {
            throw SigV4VerificationError.malformed.with(message: "X-Amz-Credential must be <key>/<date>/<region>/<service>/aws4_request")
        }
        guard parts[1] == date.dateStamp else {
            throw SigV4VerificationError.wrongScope.with(message: "the credential date differs from X-Amz-Date")
        }
        guard parts[2] == self.region else { throw SigV4VerificationError.wrongScope.with(message: "the credential is for another region") }
        guard parts[3] == self.service else { throw SigV4VerificationError.wrongScope.with(message: "the credential is for another service") }
        return String(parts[0])
    }

    /// `X-Amz-Signature`: 64 hex digits, compared lowercase.
    private static func signatureBytes(_ signature: String) throws(SigV4VerificationError) -> [UInt8] {
        let bytes = Array(signature.lowercased().utf8)
        guard bytes.count == 64, bytes.allSatisfy({ URIEncoding.hexValue($0) != nil }) else {
            throw SigV4VerificationError.malformed.with(message: "X-Amz-Signature must be 64 hex digits")
        }
        return bytes
    }

    /// `X-Amz-SignedHeaders`: lowercase tokens joined by `;`, strictly sorted, including `host`.
    private static func signedHeaderNames(_ list: String) throws(SigV4VerificationError) -> [String] {
        let names = list.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        let valid =
            names.allSatisfy { CanonicalHeaders.isToken($0) && $0 == $0.lowercased() }
            && zip(names, names.dropFirst()).allSatisfy { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            && names.contains("host")
        guard valid else {
            throw SigV4VerificationError.malformed.with(message: "X-Amz-SignedHeaders must be sorted lowercase names including host")
        }
        return names
    }

    /// The canonical headers of the signed names, with values from the request (repeated headers merged).
    private static func canonicalHeaders(
        _ names: [String],
        from headers: [(name: String, value: String)]
    ) throws(SigV4VerificationError) -> CanonicalHeaders {
        var selected: [(name: String, value: String)] = []
        for name in names {
            let values = headers.filter { $0.name.lowercased() == name }
            guard !values.isEmpty else {
                throw SigV4VerificationError.malformed.with(message: "the signed header \(name) is missing from the request")
            }
            selected.append(contentsOf: values.map { (name, $0.value) })
        }
        do {
            return try CanonicalHeaders(selected)
        } catch {
            throw SigV4VerificationError.malformed.with(message: "X-Amz-SignedHeaders lists an invalid header name")
        }
    }

    /// Compares without an early exit, so the time taken does not reveal how many leading bytes matched.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
