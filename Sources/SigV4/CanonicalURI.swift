/// Stage 1, line 2 — "Create a canonical request": the canonical URI.
///
/// The URI-encoded absolute path. S3 (`.s3`) encodes the path exactly as given, byte by byte, keeping `/`;
/// other services (`.normalized`) first remove dot segments and empty segments.
enum CanonicalURI {
    /// Appends the canonical URI of `path` (decoded bytes for `.s3`; the wire path for `.normalized`).
    static func append(path: some Collection<UInt8>, rule: CanonicalPathRule, to output: inout [UInt8]) {
        switch rule {
        case .s3:
            if path.first != UInt8(ascii: "/") { output.append(UInt8(ascii: "/")) }
            URIEncoding.appendEncoded(path, keepSlash: true, to: &output)
        case .normalized:
            URIEncoding.appendEncoded(normalized(Array(path)), keepSlash: true, to: &output)
        }
    }

    /// The canonical URI as a string (for stage tests).
    static func string(path: String, rule: CanonicalPathRule) -> String {
        var output: [UInt8] = []
        append(path: Array(path.utf8), rule: rule, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// RFC 3986 section 5.2.4 `remove_dot_segments`, plus collapsing empty segments (`//`), as AWS's generic
    /// signers do. A trailing `/` survives (`/a/b/` stays), and the result always starts with `/`.
    static func normalized(_ path: [UInt8]) -> [UInt8] {
        var segments: [ArraySlice<UInt8>] = []
        var endsWithSlash = false
        for raw in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            endsWithSlash = false
            if raw.isEmpty {
                endsWithSlash = true
            } else if raw.elementsEqual(".".utf8) {
                endsWithSlash = true
            } else if raw.elementsEqual("..".utf8) {
                endsWithSlash = true
                _ = segments.popLast()
            } else {
                segments.append(raw)
            }
        }
        var output: [UInt8] = [UInt8(ascii: "/")]
        for (index, segment) in segments.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "/")) }
            output.append(contentsOf: segment)
        }
        if endsWithSlash, !segments.isEmpty { output.append(UInt8(ascii: "/")) }
        return output
    }
}
