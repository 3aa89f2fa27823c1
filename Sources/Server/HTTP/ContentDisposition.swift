/// The `Content-Disposition` value of a download (RFC 6266): a quoted ASCII fallback name plus the exact
/// UTF-8 name in `filename*` (RFC 8187), so that no user-supplied character can break out of the header.
enum ContentDisposition {
    static func value(inline: Bool, fileName: String) -> String {
        let fallback = String(
            fileName.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar.value != 0x7F ? Character(scalar) : "_"
            }
        )
        return "\(inline ? "inline" : "attachment"); filename=\"\(fallback)\"; filename*=UTF-8''\(percentEncoded(fileName))"
    }

    /// RFC 8187 §3.2.1 `attr-char`: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else percent-encoded.
    private static func percentEncoded(_ text: String) -> String {
        let allowed = Set("!#$&+-.^_`|~".utf8)
        var result = ""
        for byte in text.utf8 {
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || allowed.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
