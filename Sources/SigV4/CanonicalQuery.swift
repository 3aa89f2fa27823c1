/// One query parameter after AWS URI encoding (name and value both encoded, `/` included).
struct EncodedQueryParameter: Comparable {
    var name: [UInt8]
    var value: [UInt8]

    /// Encodes a decoded name and value (strings given by callers of the signer).
    init(name: String, value: String) {
        self.init(nameBytes: name.utf8, valueBytes: value.utf8)
    }

    /// Encodes decoded bytes (the verifier decodes a received query first; the bytes need not be UTF-8).
    init(nameBytes: some Collection<UInt8>, valueBytes: some Collection<UInt8>) {
        self.name = []
        self.name.reserveCapacity(nameBytes.count)
        URIEncoding.appendEncoded(nameBytes, keepSlash: false, to: &self.name)
        self.value = []
        self.value.reserveCapacity(valueBytes.count)
        URIEncoding.appendEncoded(valueBytes, keepSlash: false, to: &self.value)
    }

    /// "Sort the parameters by name, then by value", comparing the encoded bytes (code-point order).
    static func < (lhs: EncodedQueryParameter, rhs: EncodedQueryParameter) -> Bool {
        if lhs.name != rhs.name { return lhs.name.lexicographicallyPrecedes(rhs.name) }
        return lhs.value.lexicographicallyPrecedes(rhs.value)
    }
}

/// Stage 1, line 3 — "Create a canonical request": the canonical query string.
///
/// Each name and value URI-encoded (space is `%20`, `+` is `%2B`, `/` is `%2F`), sorted by encoded name then value,
/// joined as `name=value` with `&`; a parameter without a value still gets its `=`.
enum CanonicalQuery {
    /// Appends `parameters` (already sorted) as `name=value&...`.
    static func append(sorted parameters: [EncodedQueryParameter], to output: inout [UInt8]) {
        for (index, parameter) in parameters.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "&")) }
            output.append(contentsOf: parameter.name)
            output.append(UInt8(ascii: "="))
            output.append(contentsOf: parameter.value)
        }
    }

    /// The canonical query string of decoded `(name, value)` pairs.
    static func string(_ parameters: [(name: String, value: String)]) -> String {
        var output: [UInt8] = []
        append(sorted: parameters.map { EncodedQueryParameter(name: $0.name, value: $0.value) }.sorted(), to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether decoded `lhs` comes before decoded `rhs` in the canonical order (encoded name, then encoded value),
    /// comparing the encodings as they would be produced instead of building them.
    static func precedes(_ lhs: (name: String, value: String), _ rhs: (name: String, value: String)) -> Bool {
        let names = URIEncoding.compareEncoded(lhs.name.utf8, rhs.name.utf8)
        return names != 0 ? names < 0 : URIEncoding.compareEncoded(lhs.value.utf8, rhs.value.utf8) < 0
    }

    /// Names of the parameters that carry a query signature; callers may not pass them (case-insensitive).
    static let signatureParameterNames: Set<String> = [
        "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-expires", "x-amz-signedheaders",
        "x-amz-security-token", "x-amz-signature",
    ]
}
