import Foundation
import Testing

@testable import SigV4

/// The verifier accepts what the signer produces and refuses every alteration with the right code.
@Suite("PresignedURLVerifier")
struct PresignedURLVerifierTests {
    static let signedAt = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let credentials = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let host = "127.0.0.1:9000"

    let cache = SigningKeyCache()

    func verifier(region: String = "us-east-1", service: String = "s3", credentials: Credentials = Self.credentials) -> PresignedURLVerifier {
        PresignedURLVerifier(region: region, service: service, cache: self.cache) { accessKeyID in
            accessKeyID == credentials.accessKeyID ? credentials.secretAccessKey : nil
        }
    }

    /// A URL for a key with spaces and UTF-8, an extra query parameter and an extra signed header.
    func signedURL(credentials: Credentials = Self.credentials, expires: Int = 900) throws -> String {
        let signer = try SigV4Signer(credentials: credentials, region: "us-east-1", cache: self.cache)
        let location = try S3Addressing(endpoint: "http://\(Self.host)", style: .path)
            .location(bucket: "medvault", key: "patients/p1/lab-results/résultat 1+1.pdf")
        return try signer.presign(
            method: "GET",
            location: location,
            query: [("response-content-disposition", "attachment; filename=\"r.pdf\"")],
            headers: [("x-amz-server-side-encryption-customer-algorithm", "AES256")],
            expires: expires,
            date: Self.signedAt
        )
    }

    static let sentHeaders: [(name: String, value: String)] = [
        ("Host", host), ("X-Amz-Server-Side-Encryption-Customer-Algorithm", "AES256"), ("User-Agent", "curl/8"),
    ]

    func verify(
        _ url: String,
        method: String = "GET",
        headers: [(name: String, value: String)] = Self.sentHeaders,
        now: Date = Self.signedAt,
        verifier: PresignedURLVerifier? = nil
    ) throws(SigV4VerificationError) -> PresignedURLVerifier.Verification {
        let (base, query) = splitURL(url)
        let path = base.dropFirst("http://\(Self.host)".count)
        return try (verifier ?? self.verifier()).verify(method: method, rawPath: String(path), rawQuery: String(query), headers: headers, now: now)
    }

    @Test("a URL signed by the module verifies, until it expires")
    func verifies() throws {
        let url = try self.signedURL()
        let verification = try self.verify(url)
        #expect(verification.accessKeyID == "AKIDEXAMPLE")
        #expect(verification.signedAt == Self.signedAt)
        #expect(verification.expiresAt == Self.signedAt.addingTimeInterval(900))
        #expect(verification.signedHeaders == ["host", "x-amz-server-side-encryption-customer-algorithm"])
        _ = try self.verify(url, now: Self.signedAt.addingTimeInterval(900))
        _ = try self.verify(url, now: Self.signedAt.addingTimeInterval(-900))
        _ = try self.verify(url, headers: Self.sentHeaders.map { ($0.name.uppercased(), $0.value) })
    }

    @Test("temporary credentials: the signed token verifies, a changed token does not")
    func sessionToken() throws {
        let credentials = Credentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token/with+chars=")
        let url = try self.signedURL(credentials: credentials)
        #expect(url.contains("X-Amz-Security-Token=token%2Fwith%2Bchars%3D"))
        let verifier = self.verifier(credentials: credentials)
        _ = try self.verify(url, verifier: verifier)
        let tampered = url.replacingOccurrences(of: "X-Amz-Security-Token=token", with: "X-Amz-Security-Token=tokem")
        #expect(throws: SigV4VerificationError.signatureMismatch) { try self.verify(tampered, verifier: verifier) }
    }

    @Test("equivalent percent-encodings of the path verify (lowercase hex)")
    func equivalentEncoding() throws {
        let url = try self.signedURL().replacingOccurrences(of: "%C3%A9", with: "%c3%a9")
        _ = try self.verify(url)
    }

    @Test(
        "tampering is a signature mismatch",
        arguments: [
            ("path", "/medvault/patients/p1/", "/medvault/patients/p2/"),
            ("query value", "filename%3D%22r.pdf", "filename%3D%22s.pdf"),
            ("added parameter", "?", "?versionId=1&"),
            ("removed parameter", "response-content-disposition=attachment%3B%20filename%3D%22r.pdf%22&", ""),
            ("expiry", "X-Amz-Expires=900", "X-Amz-Expires=901"),
            ("signed headers", "X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption-customer-algorithm", "X-Amz-SignedHeaders=host"),
            ("date", "X-Amz-Date=20260101T000000Z", "X-Amz-Date=20260101T000001Z"),
        ]
    )
    func tampering(_ what: String, original: String, replacement: String) throws {
        let url = try self.signedURL()
        #expect(url.contains(original), "\(what)")
        let tampered = url.replacingOccurrences(of: original, with: replacement)
        #expect(throws: SigV4VerificationError.signatureMismatch, "\(what)") { try self.verify(tampered) }
    }

    @Test("a changed signature, method, host or signed header value is a signature mismatch")
    func otherTampering() throws {
        let url = try self.signedURL()
        let signature = String(url.suffix(64))
        let flipped = (signature.first == "0" ? "1" : "0") + signature.dropFirst()
        #expect(throws: SigV4VerificationError.signatureMismatch) { try self.verify(String(url.dropLast(64)) + flipped) }
        #expect(throws: SigV4VerificationError.signatureMismatch) { try self.verify(url, method: "PUT") }
        var otherHost = Self.sentHeaders
        otherHost[0].value = "localhost:9000"
        #expect(throws: SigV4VerificationError.signatureMismatch) { try self.verify(url, headers: otherHost) }
        var otherValue = Self.sentHeaders
        otherValue[1].value = "aws:kms"
        #expect(throws: SigV4VerificationError.signatureMismatch) { try self.verify(url, headers: otherValue) }
    }

    @Test("a signature made with another secret for the same key ID fails, even through a shared cache")
    func wrongSecret() throws {
        let impostor = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "not-the-secret")
        let url = try self.signedURL(credentials: impostor)
        #expect(throws: SigV4VerificationError.signatureMismatch) { try self.verify(url) }
    }

    @Test("an expired URL and one from the future are refused after the signature checks out")
    func time() throws {
        let url = try self.signedURL()
        #expect(throws: SigV4VerificationError.expired) { try self.verify(url, now: Self.signedAt.addingTimeInterval(901)) }
        #expect(throws: SigV4VerificationError.notYetValid) { try self.verify(url, now: Self.signedAt.addingTimeInterval(-901)) }
        let week = try self.signedURL(expires: 604_800)
        _ = try self.verify(week, now: Self.signedAt.addingTimeInterval(604_800))
        #expect(throws: SigV4VerificationError.expired) { try self.verify(week, now: Self.signedAt.addingTimeInterval(604_801)) }
    }

    @Test("an expiry beyond 7 days is refused as too long")
    func expiryTooLong() throws {
        let url = try self.signedURL().replacingOccurrences(of: "X-Amz-Expires=900", with: "X-Amz-Expires=604801")
        #expect(throws: SigV4VerificationError.expiryTooLong) { try self.verify(url) }
    }

    @Test("another region, service or day in the credential scope is the wrong scope")
    func wrongScope() throws {
        let url = try self.signedURL()
        #expect(throws: SigV4VerificationError.wrongScope) { try self.verify(url, verifier: self.verifier(region: "eu-west-1")) }
        #expect(throws: SigV4VerificationError.wrongScope) { try self.verify(url, verifier: self.verifier(service: "iam")) }
        let otherDay = url.replacingOccurrences(of: "%2F20260101%2F", with: "%2F20251231%2F")
        #expect(throws: SigV4VerificationError.wrongScope) { try self.verify(otherDay) }
    }

    @Test("an unknown access key is refused")
    func unknownKey() throws {
        let url = try self.signedURL().replacingOccurrences(of: "X-Amz-Credential=AKIDEXAMPLE", with: "X-Amz-Credential=AKIDOTHER")
        #expect(throws: SigV4VerificationError.unknownAccessKey) { try self.verify(url) }
    }

    @Test(
        "each missing X-Amz parameter is reported",
        arguments: ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"]
    )
    func missingParameter(name: String) throws {
        let (base, query) = splitURL(try self.signedURL())
        let kept = query.split(separator: "&").filter { !$0.hasPrefix("\(name)=") }.joined(separator: "&")
        #expect(throws: SigV4VerificationError.missingParameter) { try self.verify("\(base)?\(kept)") }
        #expect(throws: SigV4VerificationError.missingParameter) { try self.verify(String(base)) }
    }

    @Test(
        "malformed parameters are reported as malformed",
        arguments: [
            ("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1"),
            ("X-Amz-Date=20260101T000000Z", "X-Amz-Date=2026-01-01"),
            ("X-Amz-Expires=900", "X-Amz-Expires=-900"),
            ("X-Amz-Expires=900", "X-Amz-Expires=0"),
            ("X-Amz-Credential=AKIDEXAMPLE%2F", "X-Amz-Credential=AKIDEXAMPLE%2Fextra%2F"),
            ("%2Faws4_request", "%2Faws5_request"),
            ("X-Amz-SignedHeaders=host%3Bx", "X-Amz-SignedHeaders=x%3Bhost%3Bx"),
            ("X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption-customer-algorithm", "X-Amz-SignedHeaders=content-type"),
            ("X-Amz-Signature=", "X-Amz-Signature=zz"),
            ("X-Amz-Date=", "X-Amz-Date=20260101T000000Z&X-Amz-Date="),
            ("response-content-disposition=", "response-content-disposition=%zz"),
            ("/medvault/", "/medvault%/"),
        ]
    )
    func malformed(original: String, replacement: String) throws {
        let url = try self.signedURL()
        #expect(url.contains(original))
        let broken = url.replacingOccurrences(of: original, with: replacement)
        #expect(throws: SigV4VerificationError.malformed) { try self.verify(broken) }
    }

    @Test("a signed header missing from the request is malformed")
    func missingSignedHeader() throws {
        let url = try self.signedURL()
        #expect(throws: SigV4VerificationError.malformed) { try self.verify(url, headers: [("Host", Self.host)]) }
    }

    @Test("error codes are stable strings")
    func codes() {
        let codes: [(SigV4VerificationError, String)] = [
            (.missingParameter, "missing_parameter"), (.malformed, "malformed"), (.expired, "expired"), (.notYetValid, "not_yet_valid"),
            (.expiryTooLong, "expiry_too_long"), (.unknownAccessKey, "unknown_access_key"), (.wrongScope, "wrong_scope"),
            (.signatureMismatch, "signature_mismatch"),
        ]
        for (error, code) in codes {
            #expect(error.code == code)
            #expect(!error.message.isEmpty)
        }
        #expect(SigV4VerificationError.malformed.with(message: "x") == .malformed)
        #expect(SigV4VerificationError.malformed != .expired)
    }

    @Test("constant-time comparison")
    func constantTimeEquals() {
        #expect(PresignedURLVerifier.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!PresignedURLVerifier.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!PresignedURLVerifier.constantTimeEquals([1, 2, 3], [1, 2]))
    }
}
