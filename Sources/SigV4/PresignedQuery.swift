/// The query string of a received pre-signed URL, decoded and split into the signature's parameters and the rest.
struct PresignedQuery {
    /// Every parameter except `X-Amz-Signature`, re-encoded for the canonical query string.
    let signedParameters: [EncodedQueryParameter]
    let algorithm: String
    let credential: String
    let date: String
    let expires: String
    let signedHeaders: String
    let signature: String

    /// Parses `raw` (as received, percent-encoded). `+` is taken literally, as SigV4 encodes a space as `%20`.
    init(raw: String) throws(SigV4VerificationError) {
        var signedParameters: [EncodedQueryParameter] = []
        var found: [String: String] = [:]
        for piece in raw.utf8.split(separator: UInt8(ascii: "&")) {
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let rawName = piece[..<(equals ?? piece.endIndex)]
            let rawValue = equals.map { piece[piece.index(after: $0)...] } ?? piece[piece.endIndex...]
            guard let name = URIEncoding.percentDecoded(rawName), let value = URIEncoding.percentDecoded(rawValue) else {
                throw SigV4VerificationError.malformed.with(message: "the query string has a malformed percent escape")
            }
            let nameString = String(decoding: name, as: UTF8.self)
            if Self.signatureNames.contains(nameString) {
                guard found.updateValue(String(decoding: value, as: UTF8.self), forKey: nameString) == nil else {
                    throw SigV4VerificationError.malformed.with(message: "\(nameString) appears more than once")
                }
                if nameString == "X-Amz-Signature" { continue }
            }
            signedParameters.append(EncodedQueryParameter(nameBytes: name, valueBytes: value))
        }
        func required(_ name: String) throws(SigV4VerificationError) -> String {
            guard let value = found[name] else { throw SigV4VerificationError.missingParameter.with(message: "\(name) is missing") }
            return value
        }
        self.algorithm = try required("X-Amz-Algorithm")
        self.credential = try required("X-Amz-Credential")
        self.date = try required("X-Amz-Date")
        self.expires = try required("X-Amz-Expires")
        self.signedHeaders = try required("X-Amz-SignedHeaders")
        self.signature = try required("X-Amz-Signature")
        self.signedParameters = signedParameters.sorted()
    }

    /// The parameters that make up a query signature (exact case, as S3 expects them).
    static let signatureNames: Set<String> = [
        "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Security-Token",
        "X-Amz-Signature",
    ]
}
