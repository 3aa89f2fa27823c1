import Foundation
import Testing

@testable import ObjectStorage

/// CloudFront signed URLs (canned policy), byte for byte against botocore's `CloudFrontSigner` on a key generated for
/// these tests (Fixtures/cloudfront, made by scripts/make_cloudfront_fixtures.py).
@Suite struct CloudFrontSignerTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let distribution: String
        let key: String
        let expires: Int64
        let resource: String
        let url: String
        var testDescription: String { "\(key) until \(expires)" }
    }

    struct Fixtures: Decodable {
        let keyPairId: String
        let cases: [Case]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/cloudfront")
    static let fixtures: Fixtures = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("cases.json")),
            let fixtures = try? JSONDecoder().decode(Fixtures.self, from: data)
        else { return Fixtures(keyPairId: "", cases: []) }
        return fixtures
    }()
    static let keyPEM = (try? String(contentsOf: directory.appendingPathComponent("test-key.pem"), encoding: .utf8)) ?? ""

    @Test func theFixturesAreThere() {
        #expect(Self.fixtures.cases.count == 20)
        #expect(Self.keyPEM.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
    }

    @Test(arguments: fixtures.cases)
    func matchesBotocoreByteForByte(_ fixture: Case) throws {
        let signer = try CloudFrontSigner(keyPairID: Self.fixtures.keyPairId, privateKeyPEM: Self.keyPEM)
        #expect(CloudFrontSigner.resourceURL(base: fixture.distribution, objectKey: fixture.key) == fixture.resource)
        #expect(try signer.signedURL(resource: fixture.resource, expires: fixture.expires) == fixture.url)
    }

    @Test func theCannedPolicyIsCompactAndOrdered() throws {
        #expect(
            try CloudFrontSigner.cannedPolicy(resource: "https://d1.cloudfront.net/a%20b.pdf", expires: 1_800_000_000)
                == #"{"Statement":[{"Resource":"https://d1.cloudfront.net/a%20b.pdf","Condition":{"DateLessThan":{"AWS:EpochTime":1800000000}}}]}"#
        )
        #expect(CloudFrontSigner.urlSafeBase64(Data([0xFB, 0xFF, 0xBF, 0x00])) == "-~-~AA__")
    }

    @Test(arguments: ["https://d1.cloudfront.net/a b.pdf", "https://d1.cloudfront.net/ü.pdf", #"https://d1/"q".pdf"#, #"https://d1/a\b"#, ""])
    func unencodedResourcesAreRefused(_ resource: String) throws {
        let signer = try CloudFrontSigner(keyPairID: "K1", privateKeyPEM: Self.keyPEM)
        #expect(throws: CloudFrontSignerError.invalidResource) { try signer.signedURL(resource: resource, expires: 1) }
    }

    @Test func badKeysAreRefused() {
        for (id, pem) in [
            ("", Self.keyPEM), ("K 1", Self.keyPEM), ("K1", ""), ("K1", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"),
        ] {
            #expect(throws: CloudFrontSignerError.self) { try CloudFrontSigner(keyPairID: id, privateKeyPEM: pem) }
        }
    }
}

/// The self-check's reading of a signed URL: botocore's URLs verify, and any edit does not.
@Suite struct CloudFrontURLVerificationTests {
    @Test func botocoreURLsVerifyAndEditedOnesDoNot() throws {
        let fixtures = CloudFrontSignerTests.fixtures
        let signer = try CloudFrontSigner(keyPairID: fixtures.keyPairId, privateKeyPEM: CloudFrontSignerTests.keyPEM)
        let fixture = try #require(fixtures.cases.first)
        #expect(signer.verifies(fixture.url, resource: fixture.resource))
        #expect(!signer.verifies(fixture.url, resource: fixture.resource + "x"))
        #expect(
            !signer.verifies(
                fixture.url.replacingOccurrences(of: "Expires=\(fixture.expires)", with: "Expires=\(fixture.expires + 1)"),
                resource: fixture.resource
            )
        )
        #expect(!signer.verifies(fixture.url.replacingOccurrences(of: "Key-Pair-Id=", with: "Key-Pair-Id=X"), resource: fixture.resource))
        #expect(!signer.verifies(fixture.url + "&extra=1", resource: fixture.resource))
        let other = try #require(fixtures.cases.last)
        #expect(!signer.verifies(fixture.url.replacingOccurrences(of: fixture.resource, with: other.resource), resource: other.resource))
    }
}
