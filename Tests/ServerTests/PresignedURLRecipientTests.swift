import Access
import Crypto
import Foundation
import ObjectStorage
import SigV4
import Testing

@testable import Server

@Suite("Pre-signed URL recipients")
struct PresignedURLRecipientTests {
    static let date = Date(timeIntervalSince1970: 1_796_600_000)

    static func urls() throws -> LocalPresignedURLs {
        try LocalPresignedURLs(
            baseURL: URL(string: "http://127.0.0.1:8080")!,
            region: "us-east-1",
            masterKey: SymmetricKey(data: [UInt8](repeating: 3, count: 32))
        )
    }

    /// Verifies `url` as the controller does, returning the recipient it names.
    static func fetch(_ url: String, with urls: LocalPresignedURLs) throws -> PresignedURLRecipient? {
        let parts = try #require(URLComponents(string: url))
        _ = try urls.verifier.verify(
            method: "GET",
            rawPath: parts.percentEncodedPath,
            rawQuery: parts.percentEncodedQuery ?? "",
            headers: [(name: "host", value: "127.0.0.1:8080")],
            now: date
        )
        return try PresignedObjectController.recipient(QueryParameters(query: parts.percentEncodedQuery))
    }

    @Test("a recipient round-trips through its parameter value, which needs no percent-encoding")
    func roundTrip() throws {
        for recipient in [
            PresignedURLRecipient(userID: "0f8fad5b-d9cb-469f-a165-70867728950e", role: .provider),
            PresignedURLRecipient(userID: "a+b/c=d:é@idp.example", role: .patient),
        ] {
            let value = recipient.parameterValue
            #expect(
                value.utf8.allSatisfy {
                    $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0)
                        || (0x61...0x7A).contains($0)
                }
            )
            #expect(PresignedURLRecipient(parameterValue: value) == recipient)
        }
        let principal = Principal(userID: "u-1", role: .admin)
        #expect(PresignedURLRecipient(principal) == PresignedURLRecipient(userID: "u-1", role: .admin))
    }

    @Test("values that medvault never issues are not read as a recipient")
    func malformed() {
        let encode = { (text: String) in Data(text.utf8).base64URLEncodedString }
        for value in ["", encode("admin"), encode("root:u-1"), encode("admin:"), encode(":u-1"), "YWRtaW46dS0x=", "YW+taW46dS0x", "a b", "%41"] {
            #expect(PresignedURLRecipient(parameterValue: value) == nil, "\(value)")
        }
    }

    @Test("a URL issued to a user names them once verified; editing or removing the recipient breaks the signature")
    func signedIn() throws {
        let urls = try Self.urls()
        let recipient = PresignedURLRecipient(userID: "0f8fad5b-d9cb-469f-a165-70867728950e", role: .provider)
        let url = try urls.presignedGetURL(
            key: "patients/P1/other/0f8fad5b-d9cb-469f-a165-70867728950e-a.txt",
            expires: 60,
            responseContentType: "text/plain",
            responseContentDisposition: "attachment",
            issuedTo: recipient.parameterValue,
            date: Self.date
        )
        #expect(url.contains("\(LocalPresignedURLs.issuedToParameter)=\(recipient.parameterValue)"))
        #expect(try Self.fetch(url, with: urls) == recipient)

        let forged = PresignedURLRecipient(userID: "someone-else", role: .admin).parameterValue
        for tampered in [
            url.replacingOccurrences(of: recipient.parameterValue, with: forged),
            url.replacingOccurrences(of: "&\(LocalPresignedURLs.issuedToParameter)=\(recipient.parameterValue)", with: ""),
            url + "&\(LocalPresignedURLs.issuedToParameter)=\(forged)",
        ] {
            #expect(tampered != url)
            #expect(throws: SigV4VerificationError.signatureMismatch) { try Self.fetch(tampered, with: urls) }
        }
    }

    @Test("a URL issued without a recipient (the self-check's, or one from before recipients) still verifies, naming nobody")
    func withoutRecipient() throws {
        let urls = try Self.urls()
        let url = try urls.presignedGetURL(
            key: "temp/0f8fad5b-d9cb-469f-a165-70867728950e-selftest.txt",
            expires: 60,
            responseContentType: "text/plain",
            responseContentDisposition: "attachment",
            date: Self.date
        )
        #expect(!url.contains(LocalPresignedURLs.issuedToParameter))
        #expect(try Self.fetch(url, with: urls) == nil)
    }
}
