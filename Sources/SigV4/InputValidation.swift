/// Checks on signing inputs, so that a bad value fails with a `SigV4Error` instead of producing a URL or
/// header that S3 would reject (or, worse, that smuggles a second parameter or header in).
enum InputValidation {
    /// Headers the signer sets itself; a caller passing one would make two conflicting values.
    static let reservedHeaderNames: Set<String> = [
        "host", "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token",
    ]

    /// A method is an RFC 9110 token (`GET`, `PUT`, …); case is kept, as SigV4 signs it verbatim.
    static func method(_ method: String) throws(SigV4Error) {
        guard CanonicalHeaders.isToken(method) else {
            throw SigV4Error.invalidMethod.with(message: "an HTTP method must be a token such as GET or PUT")
        }
    }

    /// `http` or `https`.
    static func scheme(_ scheme: String) throws(SigV4Error) {
        guard scheme == "https" || scheme == "http" else {
            throw SigV4Error.invalidHost.with(message: "the scheme must be http or https")
        }
    }

    /// A host name, IPv4 address or bracketed IPv6 address, with an optional port: letters, digits, `-._:[]`.
    static func host(_ host: String) throws(SigV4Error) {
        let valid =
            !host.isEmpty
            && host.utf8.allSatisfy { byte in
                URIEncoding.isUnreserved(byte) && byte != UInt8(ascii: "~")
                    || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
            }
        guard valid else {
            throw SigV4Error.invalidHost.with(message: "a host may only contain letters, digits, '-', '.', '_', ':' and brackets")
        }
    }

    /// A region or service name: non-empty and made of unreserved characters, so the scope needs no encoding.
    static func scopeComponent(_ value: String) throws(SigV4Error) {
        guard !value.isEmpty, value.utf8.allSatisfy(URIEncoding.isUnreserved) else {
            throw SigV4Error.invalidScope.with(message: "a region or service must be non-empty and contain only A-Z a-z 0-9 - _ . ~")
        }
    }

    /// An access key ID must be non-empty, without `/` (the scope separator) or control characters and spaces
    /// (it is written raw into the `Authorization` header); the secret must be non-empty.
    static func credentials(_ credentials: Credentials) throws(SigV4Error) {
        let accessKeyValid =
            !credentials.accessKeyID.isEmpty
            && credentials.accessKeyID.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ",") }
        guard accessKeyValid, !credentials.secretAccessKey.isEmpty else {
            throw SigV4Error.invalidCredentials.with(
                message: "the access key ID must be non-empty without '/', ',' or spaces, and the secret must be non-empty"
            )
        }
    }

    /// Extra signed headers: tokens, not set by the signer itself.
    static func extraHeaders(_ headers: [(name: String, value: String)]) throws(SigV4Error) {
        for header in headers {
            guard CanonicalHeaders.isToken(header.name) else {
                throw SigV4Error.invalidHeader.with(message: "a header name must be an RFC 9110 token")
            }
            guard !reservedHeaderNames.contains(header.name.lowercased()) else {
                throw SigV4Error.invalidHeader.with(message: "the signer sets \(header.name.lowercased()) itself")
            }
        }
    }

    /// Query parameters need a name; in a pre-signed URL (`presigning`) they may not use the signature's own names.
    static func query(_ query: [(name: String, value: String)], presigning: Bool) throws(SigV4Error) {
        for parameter in query {
            guard !parameter.name.isEmpty else {
                throw SigV4Error.invalidQueryParameter.with(message: "a query parameter needs a name")
            }
            guard !presigning || !isSignatureParameterName(parameter.name) else {
                throw SigV4Error.invalidQueryParameter.with(message: "\(parameter.name) is set by the signer")
            }
        }
    }

    /// Whether `name` is one of the signature's own parameters, in any case. Every one starts with `x-amz-`, so the
    /// names callers pass (`response-content-type`, `versionId`, …) are told apart on their first bytes, without
    /// lowercasing them into a new `String`.
    private static func isSignatureParameterName(_ name: String) -> Bool {
        let prefix = "x-amz-".utf8
        guard name.utf8.count > prefix.count,
            zip(name.utf8, prefix).allSatisfy({ byte, expected in byte | 0x20 == expected })
        else {
            return false
        }
        return CanonicalQuery.signatureParameterNames.contains(name.lowercased())
    }
}
