import Foundation
import Testing

@testable import SigV4

/// The pre-signing fast path (signature parameters encoded once per signer, the caller's parameters sorted without
/// being encoded first, the URL written in place) against the general path: every parameter, own and extra,
/// through `CanonicalQuery.string`, which encodes each one and sorts the encodings.
@Suite("Pre-signed query")
struct PresignQueryTests {
    static let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    static let credentials = [
        Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "S"),
        Credentials(accessKeyID: "AK+I=D%~é", secretAccessKey: "S", sessionToken: "token/with+slash=and space&more=="),
    ]

    static let queries: [[(name: String, value: String)]] = [
        [],
        [("response-content-type", "application/pdf"), ("response-content-disposition", "inline; filename=\"r.pdf\"")],
        [("a.b", "1"), ("a/b", "2"), ("a b", "3"), ("a", "z"), ("a", "y"), ("a", "y/"), ("a", "y.")],
        [("X-Amz-B", "b"), ("X-Amz-Date-Extra", "1"), ("X-Amz", ""), ("A-first", "1"), ("versionId", "v+1"), ("uploads", "")],
        [("é", "1"), ("e\u{301}", "2"), ("~", "3"), ("%", "4"), ("_", "5"), ("0", "6")],
    ]

    @Test("canonical query and URL equal the general path's", arguments: 0..<Self.credentials.count)
    func matchesGeneralPath(credentialIndex: Int) throws {
        let credentials = Self.credentials[credentialIndex]
        let signer = try SigV4Signer(credentials: credentials, region: "eu-west-3")
        let amzDate = try AmzDate(Self.date)
        for query in Self.queries {
            for headers in [[], [("x-amz-server-side-encryption", "AES256")]] as [[(name: String, value: String)]] {
                for expires in [1, 9, 10, 3_600, 604_800] {
                    let presigned = try signer.presignedRequest(
                        method: "GET",
                        scheme: "https",
                        host: "s3.example.com:8443",
                        path: "/bucket/a key/ü.pdf",
                        query: query,
                        headers: headers,
                        payloadHash: .unsigned,
                        expires: expires,
                        date: Self.date
                    )
                    var own: [(name: String, value: String)] = [
                        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
                        ("X-Amz-Credential", "\(credentials.accessKeyID)/\(amzDate.dateStamp)/eu-west-3/s3/aws4_request"),
                        ("X-Amz-Date", amzDate.timestamp), ("X-Amz-Expires", String(expires)),
                        ("X-Amz-SignedHeaders", presigned.signedHeaders),
                    ]
                    if let token = credentials.sessionToken { own.append(("X-Amz-Security-Token", token)) }
                    let expectedQuery = CanonicalQuery.string(own + query)
                    let lines = String(decoding: presigned.canonicalRequest, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    #expect(lines[2] == expectedQuery)
                    #expect(
                        presigned.url
                            == "https://s3.example.com:8443/bucket/a%20key/%C3%BC.pdf?\(expectedQuery)&X-Amz-Signature=\(presigned.signature)"
                    )
                    var signature: [UInt8] = []
                    signer.signingKey(for: amzDate).appendSignature(of: presigned.stringToSign, to: &signature)
                    #expect(presigned.signature == String(decoding: signature, as: UTF8.self))
                }
            }
        }
    }

    @Test("signature parameter names are refused in any case, other x-amz- names are accepted")
    func reservedNames() throws {
        let signer = try SigV4Signer(credentials: Self.credentials[0], region: "us-east-1")
        func presign(_ name: String) throws(SigV4Error) -> String {
            try signer.presign(method: "GET", host: "h.example", path: "/b/k", query: [(name, "v")], expires: 60, date: Self.date)
        }
        for name in ["X-Amz-Date", "x-amz-date", "X-AMZ-SIGNATURE", "x-Amz-Security-Token", "x-amz-signedheaders", "X-Amz-Credential"] {
            #expect(throws: SigV4Error.invalidQueryParameter) { try presign(name) }
        }
        // Refused before too: the Kelvin sign lowercases to `k`, so this name lowercases to x-amz-security-token.
        #expect(throws: SigV4Error.invalidQueryParameter) { try presign("X-Amz-Security-To\u{212A}en") }
        for name in ["x-amz-checksum-mode", "x-amz", "x-amzdate", "X-Amz-Date-Extra", "response-content-type", "x"] {
            _ = try presign(name)
        }
    }
}
