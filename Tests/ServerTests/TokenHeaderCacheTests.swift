import Foundation
import Testing

@testable import Server

@Suite("A token's alg and kid, read from its header and remembered per header")
struct TokenHeaderCacheTests {
    /// A token whose header is `json` (base64url, unpadded) with a dummy payload and signature.
    private static func token(header json: String) -> String {
        let header = Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return header + ".eyJzdWIiOiJ4In0.c2ln"
    }

    @Test("the same answer the first time and from memory, for every kind of header")
    func remembered() {
        let cache = TokenHeaderCache()
        typealias Header = TokenHeaderCache.Header
        let cases: [(String, Header)] = [
            (#"{"alg":"HS256","typ":"JWT"}"#, Header(algorithm: "HS256")),
            (#"{"kid":"idp-rsa","alg":"RS256","typ":"JWT"}"#, Header(algorithm: "RS256", keyID: "idp-rsa")),
            (#"{"alg":"none"}"#, Header(algorithm: "none")),
            (#"{"alg":5,"kid":7}"#, Header()),
            (#"["alg","HS256"]"#, Header()),
            ("not json", Header()),
        ]
        for _ in 0..<2 {
            for (text, header) in cases {
                #expect(cache.header(of: Self.token(header: text)) == header, "\(text)")
            }
        }
        #expect(cache.header(of: "***.payload.signature") == Header())
        #expect(cache.header(of: "") == Header())
    }

    @Test("headers past the capacity are still read correctly, just not kept")
    func pastCapacity() {
        let cache = TokenHeaderCache()
        for round in 0..<2 {
            for index in 0..<(TokenHeaderCache.capacity * 2) {
                let algorithm = index.isMultiple(of: 2) ? "RS256" : "ES256"
                let token = Self.token(header: #"{"alg":"\#(algorithm)","kid":"key-\#(index)"}"#)
                #expect(
                    cache.header(of: token) == TokenHeaderCache.Header(algorithm: algorithm, keyID: "key-\(index)"),
                    "round \(round), header \(index)"
                )
            }
        }
    }
}
