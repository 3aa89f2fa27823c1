import Foundation
import Testing

@testable import Server

@Suite("A token's alg, read from its header and remembered per header")
struct TokenAlgorithmCacheTests {
    /// A token whose header is `json` (base64url, unpadded) with a dummy payload and signature.
    private static func token(header json: String) -> String {
        let header = Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return header + ".eyJzdWIiOiJ4In0.c2ln"
    }

    @Test("the same answer the first time and from memory, for every kind of header")
    func remembered() {
        let cache = TokenAlgorithmCache()
        let cases: [(String, String?)] = [
            (#"{"alg":"HS256","typ":"JWT"}"#, "HS256"),
            (#"{"kid":"idp-rsa","alg":"RS256","typ":"JWT"}"#, "RS256"),
            (#"{"alg":"none"}"#, "none"),
            (#"{"alg":5}"#, nil),
            (#"["alg","HS256"]"#, nil),
            ("not json", nil),
        ]
        for _ in 0..<2 {
            for (header, algorithm) in cases {
                #expect(cache.algorithm(of: Self.token(header: header)) == algorithm, "\(header)")
            }
        }
        #expect(cache.algorithm(of: "***.payload.signature") == nil)
        #expect(cache.algorithm(of: "") == nil)
    }

    @Test("headers past the capacity are still read correctly, just not kept")
    func pastCapacity() {
        let cache = TokenAlgorithmCache()
        for round in 0..<2 {
            for index in 0..<(TokenAlgorithmCache.capacity * 2) {
                let algorithm = index.isMultiple(of: 2) ? "RS256" : "ES256"
                let token = Self.token(header: #"{"alg":"\#(algorithm)","kid":"key-\#(index)"}"#)
                #expect(cache.algorithm(of: token) == algorithm, "round \(round), header \(index)")
            }
        }
    }
}
