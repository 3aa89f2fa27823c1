extension MultipartParser {
    /// Parses the `boundary` parameter out of a request's Content-Type header value, so the upload handler can
    /// build a parser and reject a non-multipart request before reading its body.
    ///
    /// The media type must be `multipart/form-data` (case-insensitive, RFC 7578 §4.1); other parameters are ignored.
    /// The boundary may be a token or a quoted string and must be 1…70 characters from RFC 2046 §5.1.1's `bchars`,
    /// not ending in a space. Returns nil if the type differs, the boundary is missing, repeated or invalid.
    package static func boundary(fromContentType contentType: String) -> String? {
        guard let parsed = ParameterizedValue(parsing: contentType), parsed.value.lowercased() == "multipart/form-data" else {
            return nil
        }
        let boundaries = parsed.values(of: "boundary")
        guard boundaries.count == 1, let boundary = boundaries.first, isValidBoundary(boundary) else { return nil }
        return boundary
    }

    /// Whether `boundary` is a valid RFC 2046 §5.1.1 boundary: 1…70 `bchars`, the last one not a space.
    ///
    /// The scanner relies on this: a valid boundary contains no CR, so CR occurs in the delimiter only at its start.
    static func isValidBoundary(_ boundary: String) -> Bool {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.last != .space else { return false }
        return bytes.allSatisfy(isBoundaryCharacter)
    }

    private static func isBoundaryCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        default:
            "'()+_,-./:=? ".utf8.contains(byte)
        }
    }
}
