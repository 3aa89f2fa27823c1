import Foundation
import Testing

@testable import SigV4

/// Signer behaviour beyond the published vectors: input errors, parameter merging, header signing details.
@Suite("SigV4Signer")
struct SigV4SignerTests {
    static let date = Date(timeIntervalSince1970: 1_369_353_600)
    let signer: SigV4Signer

    init() throws {
        self.signer = try SigV4Signer(
            credentials: Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1"
        )
    }

    func presign(
        method: String = "GET",
        host: String = "examplebucket.s3.amazonaws.com",
        query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [],
        expires: Int = 3600,
        date: Date = Self.date
    ) throws(SigV4Error) -> String {
        try self.signer.presign(method: method, host: host, path: "/test.txt", query: query, headers: headers, expires: expires, date: date)
    }

    @Test("expiry must be 1...604800 seconds")
    func expiryBounds() throws {
        _ = try self.presign(expires: 1)
        _ = try self.presign(expires: 604_800)
        for expires in [0, -1, 604_801, Int.max] {
            #expect(throws: SigV4Error.invalidExpiry) { try self.presign(expires: expires) }
        }
    }

    @Test("invalid methods, hosts, dates, headers and query names are typed errors")
    func inputErrors() {
        #expect(throws: SigV4Error.invalidMethod) { try self.presign(method: "") }
        #expect(throws: SigV4Error.invalidMethod) { try self.presign(method: "GET /x") }
        #expect(throws: SigV4Error.invalidHost) { try self.presign(host: "") }
        #expect(throws: SigV4Error.invalidHost) { try self.presign(host: "evil.com/x?") }
        #expect(throws: SigV4Error.invalidHost) { try self.presign(host: "a b") }
        #expect(throws: SigV4Error.invalidDate) { try self.presign(date: Date(timeIntervalSince1970: -86_400)) }
        #expect(throws: SigV4Error.invalidHeader) { try self.presign(headers: [("Host", "other")]) }
        #expect(throws: SigV4Error.invalidHeader) { try self.presign(headers: [("bad header", "v")]) }
        #expect(throws: SigV4Error.invalidQueryParameter) { try self.presign(query: [("x-amz-expires", "1")]) }
        #expect(throws: SigV4Error.invalidQueryParameter) { try self.presign(query: [("", "v")]) }
        #expect(throws: SigV4Error.invalidHost) {
            try self.signer.presign(method: "GET", scheme: "ftp", host: "h", path: "/", expires: 60, date: Self.date)
        }
        #expect(throws: SigV4Error.invalidHeader) {
            try self.signer.signHeaders(method: "GET", host: "h", path: "/", headers: [("X-Amz-Date", "x")], payloadHash: .emptyBody, date: Self.date)
        }
    }

    @Test("extra query parameters are merged into the signature's parameters in canonical order")
    func queryMerge() throws {
        let url = try self.presign(query: [("versionId", "v+1"), ("A-first", "1"), ("X-Amz-Checksum-Mode", "ENABLED"), ("X-Amz-B", "b")])
        let names = splitURL(url).query.split(separator: "&").map { $0.prefix { $0 != "=" } }
        #expect(
            names == [
                "A-first", "X-Amz-Algorithm", "X-Amz-B", "X-Amz-Checksum-Mode", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                "X-Amz-SignedHeaders", "versionId", "X-Amz-Signature",
            ]
        )
        #expect(url.contains("versionId=v%2B1"))
        // The merge gives the same signature as sorting everything (the general path of the verifier).
        let (base, query) = splitURL(url)
        let verifier = PresignedURLVerifier(region: "us-east-1") { _ in "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }
        _ = try verifier.verify(
            method: "GET",
            rawPath: String(base.dropFirst("https://examplebucket.s3.amazonaws.com".count)),
            rawQuery: String(query),
            headers: [("host", "examplebucket.s3.amazonaws.com")],
            now: Self.date
        )
    }

    @Test("header signing with a session token signs it, and returns the URL and headers to send")
    func headerSigningWithToken() throws {
        let signer = try SigV4Signer(credentials: Credentials(accessKeyID: "AK", secretAccessKey: "S", sessionToken: "TOKEN"), region: "eu-west-1")
        let location = try S3Addressing(endpoint: "http://127.0.0.1:9000").location(bucket: "b", key: "x y.txt")
        let signed = try signer.signHeaders(
            method: "PUT",
            location: location,
            query: [("partNumber", "2"), ("uploadId", "a/b")],
            headers: [("Content-Type", "text/plain"), ("x-amz-checksum-sha256", "abc=")],
            payloadHash: .unsigned,
            date: Self.date
        )
        #expect(signed.url == "http://127.0.0.1:9000/b/x%20y.txt?partNumber=2&uploadId=a%2Fb")
        #expect(signed.headers.map(\.name) == ["X-Amz-Security-Token", "X-Amz-Date", "X-Amz-Content-SHA256", "Authorization"])
        #expect(signed.headers.map(\.value).prefix(3) == ["TOKEN", "20130524T000000Z", "UNSIGNED-PAYLOAD"])
        #expect(signed.signedHeaders == "content-type;host;x-amz-checksum-sha256;x-amz-content-sha256;x-amz-date;x-amz-security-token")
        #expect(signed.authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AK/20130524/eu-west-1/s3/aws4_request, SignedHeaders=content-type;"))
        #expect(signed.authorization.hasSuffix("Signature=\(signed.signature)"))
        #expect(signed.canonicalRequest.contains("\nx-amz-security-token:TOKEN\n"))
    }

    @Test("with the normalized rule the URL keeps the path as given while the signature normalises it")
    func normalizedURLPath() throws {
        let signer = try SigV4Signer(
            credentials: Credentials(accessKeyID: "AK", secretAccessKey: "S"),
            region: "us-east-1",
            service: "service",
            pathRule: .normalized
        )
        let presigned = try signer.presignedRequest(
            method: "GET",
            scheme: "https",
            host: "h",
            path: "/a/../b",
            query: [],
            headers: [],
            payloadHash: .emptyBody,
            expires: 60,
            date: Self.date
        )
        #expect(presigned.url.hasPrefix("https://h/a/../b?"))
        #expect(String(decoding: presigned.canonicalRequest, as: UTF8.self).hasPrefix("GET\n/b\n"))
    }
}
