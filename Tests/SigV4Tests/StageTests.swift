import Crypto
import Foundation
import Testing

@testable import SigV4

/// Each SigV4 stage on its own, against AWS's documented rules and examples.
@Suite("SigV4 stages")
struct StageTests {
    @Test("URI encoding keeps only unreserved characters, uppercase hex, / optional")
    func uriEncoding() {
        #expect(URIEncoding.encoded("AZaz09-_.~", keepSlash: false) == "AZaz09-_.~")
        #expect(URIEncoding.encoded("a b+c=d&e/f%g", keepSlash: false) == "a%20b%2Bc%3Dd%26e%2Ff%25g")
        #expect(URIEncoding.encoded("a b/c", keepSlash: true) == "a%20b/c")
        #expect(URIEncoding.encoded("ሴ é", keepSlash: false) == "%E1%88%B4%20%C3%A9")
        #expect(URIEncoding.encoded("!$'()*,;:@", keepSlash: true) == "%21%24%27%28%29%2A%2C%3B%3A%40")
    }

    @Test("percent-decoding is strict and leaves + alone")
    func percentDecoding() {
        #expect(URIEncoding.percentDecoded("a%20b%2fc+d".utf8) == Array("a b/c+d".utf8))
        #expect(URIEncoding.percentDecoded("%E1%88%B4".utf8) == [0xE1, 0x88, 0xB4])
        #expect(URIEncoding.percentDecoded("%".utf8) == nil)
        #expect(URIEncoding.percentDecoded("%2".utf8) == nil)
        #expect(URIEncoding.percentDecoded("%zz".utf8) == nil)
    }

    @Test("S3 canonical URI: encoded once, never normalised")
    func s3CanonicalURI() {
        #expect(CanonicalURI.string(path: "/bucket/my file.txt", rule: .s3) == "/bucket/my%20file.txt")
        #expect(CanonicalURI.string(path: "/b//a/./../c", rule: .s3) == "/b//a/./../c")
        #expect(CanonicalURI.string(path: "/100%.txt", rule: .s3) == "/100%25.txt")
        #expect(CanonicalURI.string(path: "/a%20b", rule: .s3) == "/a%2520b")
        #expect(CanonicalURI.string(path: "", rule: .s3) == "/")
        #expect(CanonicalURI.string(path: "key", rule: .s3) == "/key")
    }

    @Test(
        "normalised canonical URI removes dot and empty segments",
        arguments: [
            ("/", "/"), ("//", "/"), ("/./", "/"), ("/example/..", "/"), ("/a/b/../..", "/"), ("/./example", "/example"),
            ("//example//", "/example/"), ("/a/./b/../c/", "/a/c/"), ("/a/b/.", "/a/b/"), ("/example space/", "/example%20space/"),
            ("/a%20b", "/a%2520b"),
        ]
    )
    func normalizedCanonicalURI(path: String, expected: String) {
        #expect(CanonicalURI.string(path: path, rule: .normalized) == expected)
    }

    @Test("canonical query: encoded, sorted by name then value, empty values keep =")
    func canonicalQuery() {
        let query = CanonicalQuery.string([
            ("b", "2"), ("a", "z"), ("a", "y"), ("uploads", ""), ("prefix", "photos/2024 summer/"), ("A", "+"), ("a-b", "1"),
        ])
        #expect(query == "A=%2B&a=y&a=z&a-b=1&b=2&prefix=photos%2F2024%20summer%2F&uploads=")
        #expect(CanonicalQuery.string([]) == "")
    }

    @Test("canonical headers: lowercase, trimmed, collapsed, sorted, duplicates joined in order")
    func canonicalHeaders() throws {
        let headers = try CanonicalHeaders([
            ("X-Amz-Meta-Note", "  hello    world  "), ("Host", "example.com"), ("My-Header", "b"), ("my-header", "a"),
            ("Folded", "one\n   two\tthree"),
        ])
        var output: [UInt8] = []
        headers.append(to: &output)
        #expect(
            String(decoding: output, as: UTF8.self)
                == "folded:one two three\nhost:example.com\nmy-header:b,a\nx-amz-meta-note:hello world\n"
        )
        #expect(headers.signedHeaders == "folded;host;my-header;x-amz-meta-note")
        #expect(throws: SigV4Error.invalidHeader) { try CanonicalHeaders([("bad name", "x")]) }
        #expect(throws: SigV4Error.invalidHeader) { try CanonicalHeaders([("", "x")]) }
    }

    @Test("canonical request: six lines, no final newline, URI and query lines located for the URL")
    func canonicalRequest() throws {
        // The lines of "Example: GET object" in S3's "Signature calculations for the Authorization header".
        let headers = try CanonicalHeaders([
            ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
            ("x-amz-content-sha256", PayloadHash.emptyBody.value), ("X-Amz-Date", "20130524T000000Z"),
        ])
        let request = CanonicalRequest(
            method: "GET",
            path: "/test.txt".utf8,
            rule: .s3,
            appendQuery: { _ in },
            headers: .canonical(headers),
            signedHeaders: headers.signedHeaders,
            payloadHash: .emptyBody,
            capacity: 0
        )
        #expect(
            String(decoding: request.bytes, as: UTF8.self)
                == "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
                + "x-amz-content-sha256:\(PayloadHash.emptyBody.value)\nx-amz-date:20130524T000000Z\n\n"
                + "host;range;x-amz-content-sha256;x-amz-date\n\(PayloadHash.emptyBody.value)"
        )
        #expect(request.uri.elementsEqual("/test.txt".utf8))
        #expect(request.queryRange.isEmpty)

        // Only `host` signed, as most pre-signed URLs: the same line as a one-header list gives.
        let hostOnly = CanonicalRequest(
            method: "PUT",
            path: "/b/my key".utf8,
            rule: .s3,
            appendQuery: { $0.append(contentsOf: "a=1&b=%20".utf8) },
            headers: .hostOnly("example.com"),
            signedHeaders: "host",
            payloadHash: .unsigned,
            capacity: 0
        )
        #expect(String(decoding: hostOnly.bytes, as: UTF8.self) == "PUT\n/b/my%20key\na=1&b=%20\nhost:example.com\n\nhost\nUNSIGNED-PAYLOAD")
        #expect(hostOnly.uri.elementsEqual("/b/my%20key".utf8))
        #expect(hostOnly.query.elementsEqual("a=1&b=%20".utf8))
        let listed = CanonicalRequest(
            method: "PUT",
            path: "/b/my key".utf8,
            rule: .s3,
            appendQuery: { $0.append(contentsOf: "a=1&b=%20".utf8) },
            headers: .canonical(try CanonicalHeaders([("host", "example.com")])),
            signedHeaders: "host",
            payloadHash: .unsigned,
            capacity: 0
        )
        #expect(listed.bytes == hostOnly.bytes)
    }

    @Test("signing key derivation matches AWS's documented example")
    func signingKeyDerivation() throws {
        // "Examples of how to derive a signing key for Signature Version 4" (AWS General Reference).
        let key = SigningStages.deriveSigningKey(
            secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            date: try AmzDate(parsing: "20120215T000000Z"),
            region: "us-east-1",
            service: "iam"
        )
        #expect(key.hexKey == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
        #expect(key.dateStamp == "20120215")
    }

    @Test("string to sign and signature of AWS's S3 GET example")
    func stringToSignAndSignature() throws {
        // "Example: GET object" in S3's "Signature calculations for the Authorization header".
        let canonicalRequest = """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """
        let date = try AmzDate(parsing: "20130524T000000Z")
        let stringToSign = SigningStages.stringToSign(canonicalRequest: Array(canonicalRequest.utf8), date: date, region: "us-east-1", service: "s3")
        #expect(
            String(decoding: stringToSign, as: UTF8.self)
                == "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
        )
        let key = SigningStages.deriveSigningKey(secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", date: date, region: "us-east-1", service: "s3")
        var signature: [UInt8] = []
        key.appendSignature(of: stringToSign, to: &signature)
        #expect(String(decoding: signature, as: UTF8.self) == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        // The pre-keyed HMAC gives what a fresh HMAC gives, and can be reused.
        let fresh = HMAC<SHA256>.authenticationCode(for: stringToSign, using: key.key)
        var again: [UInt8] = []
        key.appendSignature(of: stringToSign, to: &again)
        #expect(again == signature)
        #expect(Data(fresh).map { String(format: "%02x", $0) }.joined() == String(decoding: signature, as: UTF8.self))
    }

    @Test("payload hashes")
    func payloadHashes() throws {
        #expect(PayloadHash.sha256(of: [UInt8]()) == .emptyBody)
        #expect(PayloadHash.sha256(of: Array("Param1=value1".utf8)).value == "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
        #expect(try PayloadHash.sha256(hex: String(repeating: "AB", count: 32)).value == String(repeating: "ab", count: 32))
        #expect(throws: SigV4Error.invalidPayloadHash) { try PayloadHash.sha256(hex: "abc") }
        #expect(throws: SigV4Error.invalidPayloadHash) { try PayloadHash.sha256(hex: String(repeating: "g", count: 64)) }
    }
}
