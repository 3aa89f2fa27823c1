import Foundation

extension Data {
    /// Decodes unpadded base64url (RFC 4648 §5), the alphabet of JWT segments and of list continuation tokens.
    /// Maps the alphabet byte by byte: Foundation's `replacingOccurrences` was about 3% of the CPU time of a
    /// pre-signed URL's fetch (its recipient parameter).
    init?(base64URLEncoded text: some StringProtocol) {
        var base64 = text.utf8.map { byte in
            switch byte {
            case UInt8(ascii: "-"): UInt8(ascii: "+")
            case UInt8(ascii: "_"): UInt8(ascii: "/")
            default: byte
            }
        }
        base64 += repeatElement(UInt8(ascii: "="), count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: Data(base64))
    }

    /// This data as unpadded base64url (RFC 4648 §5): only characters that URLs carry unescaped. Mapped byte by
    /// byte, like the decoder: three `replacingOccurrences` were 7% of a pre-sign's instructions (the recipient
    /// parameter every local pre-signed URL carries).
    var base64URLEncodedString: String {
        let alphabet = base64EncodedString().utf8.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }
        return String(decoding: alphabet, as: UTF8.self)
    }
}
