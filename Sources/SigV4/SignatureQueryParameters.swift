/// The query parameters that carry a pre-signed URL's signature (`X-Amz-Algorithm` … `X-Amz-SignedHeaders`), with
/// every byte that is the same for all URLs of one signer encoded once, when the signer is created: the names, the
/// algorithm, the URI-encoded access key ID and the scope around the day, the encoded session token.
///
/// Pre-signing then writes only the date, the expiry and, with extra signed headers, the header list: building all
/// six parameters from `String`s for each URL was ~10% of its cost.
struct SignatureQueryParameters: Sendable {
    /// One of the signature's parameters.
    enum Name: Sendable {
        case algorithm, credential, date, expires, securityToken, signedHeaders

        /// The parameter name, as S3 expects it (exact case).
        var text: String {
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

    /// A parameter and the constant start of its `name=value` text.
    struct Parameter: Sendable {
        let name: Name
        /// `name=` and, where the value does not change between URLs, the whole value; for the credential,
        /// everything up to the day (`X-Amz-Credential=AKID%2F`).
        let fixedStart: [UInt8]
    }

    /// The parameters in canonical (sorted) order; `X-Amz-Security-Token` only with temporary credentials.
    let sorted: [Parameter]
    /// What follows the day in `X-Amz-Credential`: `%2F<region>%2F<service>%2Faws4_request`.
    private let credentialEnd: [UInt8]

    init(credentials: Credentials, region: String, service: String) {
        func start(_ name: Name, value: some Collection<UInt8> = EmptyCollection()) -> Parameter {
            var bytes = Array(name.text.utf8)
            bytes.append(UInt8(ascii: "="))
            URIEncoding.appendEncoded(value, keepSlash: false, to: &bytes)
            return Parameter(name: name, fixedStart: bytes)
        }
        var sorted = [
            start(.algorithm, value: SigningStages.algorithm.utf8),
            start(.credential, value: (credentials.accessKeyID + "/").utf8),
            start(.date),
            start(.expires),
        ]
        if let token = credentials.sessionToken { sorted.append(start(.securityToken, value: token.utf8)) }
        sorted.append(start(.signedHeaders))
        self.sorted = sorted
        var credentialEnd = Array("%2F".utf8)
        URIEncoding.appendEncoded("\(region)/\(service)/\(SigningStages.scopeTerminator)".utf8, keepSlash: false, to: &credentialEnd)
        self.credentialEnd = credentialEnd
    }

    /// Appends `name=value` for `parameter`, with the values that vary per URL.
    @inline(__always)
    func append(_ parameter: Parameter, date: AmzDate, expires: Int, signedHeaders: String, to output: inout [UInt8]) {
        output.append(contentsOf: parameter.fixedStart)
        switch parameter.name {
        case .algorithm, .securityToken:
            break
        case .credential:
            date.appendDateStamp(to: &output)
            output.append(contentsOf: self.credentialEnd)
        case .date:
            date.appendTimestamp(to: &output)
        case .expires:
            Self.appendDecimal(expires, to: &output)
        case .signedHeaders:
            URIEncoding.appendEncoded(signedHeaders.utf8, keepSlash: false, to: &output)
        }
    }

    /// Appends a non-negative `value` in decimal, formatted in a stack buffer (no `String(value)`).
    private static func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        precondition(value >= 0, "X-Amz-Expires is positive")
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var start = buffer.count
            var rest = value
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            output.append(contentsOf: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
        }
    }
}
