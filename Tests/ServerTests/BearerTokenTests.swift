import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import JWTKit
import NIOCore
import Persistence
import Testing
import _CryptoExtras

@testable import Server

/// `Authorization: Bearer` on the real application: medvault's HS256 tokens, an identity
/// provider's RS256 / ES256 tokens from `MEDVAULT_JWKS_FILE`, expiry on the injected clock, and the tokens
/// that must be refused (tampered, `alg: none`, another secret, algorithm confusion, claims that do not
/// match the stored user).
@Suite struct BearerTokenTests {
    private static let stats = "/api/v2/aws/s3/stats"

    /// An identity provider: an RSA and an EC key pair whose public halves are in a JWKS file.
    struct IdentityProvider {
        static let issuer = "https://idp.example.test/realms/clinic"
        static let audience = "medvault-api"
        let rsa: JWTKit.Insecure.RSA.PrivateKey
        let ec: ES256PrivateKey
        let jwksFile: URL
        let jwksJSON: String
        /// The RSA public key as a JWK on its own (what an attacker would read from the JWKS).
        let rsaJWKJSON: String

        init() throws {
            rsa = try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
            ec = ES256PrivateKey()
            let (modulus, exponent) = try rsa.publicKey.getKeyPrimitives()
            let rsaJWK = #"{"kty":"RSA","kid":"idp-rsa","alg":"RS256","use":"sig","n":"\#(modulus.base64URL)","e":"\#(exponent.base64URL)"}"#
            let point = try #require(ec.publicKey.parameters)
            let ecJWK = #"{"kty":"EC","kid":"idp-ec","alg":"ES256","use":"sig","crv":"P-256","x":"\#(point.x)","y":"\#(point.y)"}"#
            rsaJWKJSON = rsaJWK
            jwksJSON = #"{"keys":[\#(rsaJWK),\#(ecJWK)]}"#
            jwksFile = FileManager.default.temporaryDirectory.appendingPathComponent("medvault-jwks-\(UUID().uuidString).json")
            try jwksJSON.write(to: jwksFile, atomically: true, encoding: .utf8)
        }

        /// The server's variables for this provider: its key file, issuer and audience.
        var environment: [String: String] {
            ["MEDVAULT_JWKS_FILE": jwksFile.path, "MEDVAULT_JWT_ISSUER": Self.issuer, "MEDVAULT_JWT_AUDIENCE": Self.audience]
        }

        /// `claims` as this provider issues them for medvault: its `iss` and medvault's `aud` unless already set.
        static func bound(_ claims: TokenClaims) -> TokenClaims {
            var claims = claims
            claims.iss = claims.iss ?? IssuerClaim(value: issuer)
            claims.aud = claims.aud ?? AudienceClaim(value: [audience])
            return claims
        }

        /// An RS256 token; `bind` adds the provider's `iss` and medvault's `aud` where the claims have none.
        func rs256(_ claims: TokenClaims, kid: String = "idp-rsa", bind: Bool = true) async throws -> String {
            try await JWTKeyCollection().add(rsa: rsa, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
                .sign(bind ? Self.bound(claims) : claims, kid: JWKIdentifier(string: kid))
        }

        func es256(_ claims: TokenClaims, kid: String = "idp-ec") async throws -> String {
            try await JWTKeyCollection().add(ecdsa: ec, kid: JWKIdentifier(string: kid)).sign(Self.bound(claims), kid: JWKIdentifier(string: kid))
        }
    }

    static func claims(_ subject: String, role: String = "admin", patientID: String? = nil, at now: Date, ttl: TimeInterval = 300) -> TokenClaims {
        TokenClaims(subject: subject, role: role, patientID: patientID, issuedAt: now, expiresAt: now + ttl)
    }

    private static func hs256(_ claims: TokenClaims, secret: some DataProtocol, kid: String? = nil) async throws -> String {
        let kid = kid.map { JWKIdentifier(string: $0) }
        return try await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: kid).sign(claims, kid: kid)
    }

    static func call(_ client: any TestClientProtocol, _ token: String, uri: String = stats) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: .bearer(token))
    }

    static func expectRefused(
        _ response: TestResponse,
        _ code: String,
        _ comment: Comment? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == .unauthorized, comment, sourceLocation: sourceLocation)
        #expect(errorCode(response) == code, comment, sourceLocation: sourceLocation)
    }

    @Test func medvaultTokensOpenTheAPIUntilTheyExpireOnTheInjectedClock() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let admin = try #require(try await harness.database().user(email: AuthHarness.adminEmail))
            let tokens = try await harness.bearerTokens()
            let byID = try await tokens.issue(Self.claims(admin.id.uuidString, at: harness.clock.now, ttl: 60))
            let byEmail = try await tokens.issue(Self.claims(AuthHarness.adminEmail, at: harness.clock.now, ttl: 600))

            #expect(try await Self.call(client, byID).status == .ok)
            #expect(try await Self.call(client, byEmail).status == .ok)
            // The scheme is case-insensitive.
            #expect(try await client.execute(uri: Self.stats, method: .get, headers: [.authorization: "bearer \(byID)"]).status == .ok)

            harness.clock.advance(by: 59)
            #expect(try await Self.call(client, byID).status == .ok)
            harness.clock.advance(by: 2)
            let expired = try await Self.call(client, byID)
            Self.expectRefused(expired, "token_expired")
            #expect(expired.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await Self.call(client, byEmail).status == .ok)

            let none = try await client.execute(uri: Self.stats, method: .get)
            Self.expectRefused(none, "unauthenticated")
        }
    }

    @Test func forgedAndMalformedTokensAreInvalid() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let admin = try #require(try await harness.database().user(email: AuthHarness.adminEmail))
            let now = harness.clock.now
            let claims = Self.claims(admin.id.uuidString, at: now)
            let valid = try await harness.bearerTokens().issue(claims)
            #expect(try await Self.call(client, valid).status == .ok)
            let parts = valid.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            try #require(parts.count == 3)

            // The signature altered.
            let signature = parts[2]
            let flipped = (signature.first == "A" ? "B" : "A") + signature.dropFirst()
            Self.expectRefused(try await Self.call(client, "\(parts[0]).\(parts[1]).\(flipped)"), "invalid_token", "tampered signature")

            // The payload altered (another subject, same signature).
            let otherPayload = Data(#"{"sub":"\#(AuthHarness.adminEmail)","role":"admin","exp":\#(Int(now.timeIntervalSince1970) + 300)}"#.utf8)
                .base64URL
            Self.expectRefused(try await Self.call(client, "\(parts[0]).\(otherPayload).\(parts[2])"), "invalid_token", "tampered payload")

            // alg none, with and without a signature.
            let payload = Data(#"{"sub":"\#(admin.id.uuidString)","role":"admin","exp":\#(Int(now.timeIntervalSince1970) + 300)}"#.utf8).base64URL
            for header in [#"{"alg":"none","typ":"JWT"}"#, #"{"alg":"None","typ":"JWT"}"#, #"{"typ":"JWT"}"#] {
                let head = Data(header.utf8).base64URL
                Self.expectRefused(try await Self.call(client, "\(head).\(payload)."), "invalid_token", "\(header) unsigned")
                Self.expectRefused(try await Self.call(client, "\(head).\(payload).\(parts[2])"), "invalid_token", "\(header) with a signature")
            }

            // Signed with another HS256 secret.
            let otherSecret = try await Self.hs256(claims, secret: Array("another-secret-that-is-long-enough-1234567890".utf8))
            Self.expectRefused(try await Self.call(client, otherSecret), "invalid_token", "another secret")

            // The right secret, but an algorithm medvault does not accept.
            let hs384 = try await JWTKeyCollection()
                .add(hmac: HMACKey(from: AuthHarness.jwtSecret), digestAlgorithm: .sha384)
                .sign(claims)
            Self.expectRefused(try await Self.call(client, hs384), "invalid_token", "HS384")

            // Garbage.
            for garbage in ["", "abc", "a.b.c", "\(parts[0]).\(parts[1])", valid + ".x"] {
                Self.expectRefused(try await Self.call(client, garbage), "invalid_token", "garbage \(garbage)")
            }
            let basic = try await client.execute(uri: Self.stats, method: .get, headers: [.authorization: "Basic YWRtaW46cGFzcw=="])
            Self.expectRefused(basic, "invalid_token", "another scheme")
        }
    }

    @Test func claimsMustMatchAnEnabledStoredUser() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let admin = try #require(try await harness.database().user(email: AuthHarness.adminEmail))
            let tokens = try await harness.bearerTokens()
            let now = harness.clock.now
            let adminToken = try await tokens.issue(Self.claims(admin.id.uuidString, at: now))

            var json = HTTPFields.bearer(adminToken)
            json[.contentType] = "application/json"
            let created = try await client.execute(
                uri: "/api/v2/users",
                method: .post,
                headers: json,
                body: ByteBuffer(string: #"{"email":"pat@example.test","role":"patient","patientId":"P1"}"#)
            )
            #expect(created.status == .created)
            let patient = try #require(try await harness.database().user(email: "pat@example.test"))

            // The right claims: authenticated, and refused statistics as a patient (403, not 401).
            let patientToken = try await tokens.issue(Self.claims(patient.id.uuidString, role: "patient", patientID: "P1", at: now))
            let asPatient = try await Self.call(client, patientToken)
            #expect(asPatient.status == .forbidden)
            #expect(errorCode(asPatient) == "forbidden")

            // A role or patient id the stored user does not have, or no such user.
            let mismatches: [(String, TokenClaims)] = [
                ("patient claiming admin", Self.claims(patient.id.uuidString, role: "admin", at: now)),
                ("patient claiming another patient", Self.claims(patient.id.uuidString, role: "patient", patientID: "P2", at: now)),
                ("patient without patient_id", Self.claims(patient.id.uuidString, role: "patient", at: now)),
                ("admin claiming provider", Self.claims(admin.id.uuidString, role: "provider", at: now)),
                ("unknown id", Self.claims(UUID().uuidString, at: now)),
                ("unknown e-mail", Self.claims("ghost@example.test", at: now)),
            ]
            for (label, claims) in mismatches {
                Self.expectRefused(try await Self.call(client, try await tokens.issue(claims)), "invalid_token", "\(label)")
            }

            // Disabling the user ends their tokens at once.
            let disabled = try await client.execute(
                uri: "/api/v2/users/disable",
                method: .post,
                headers: json,
                body: ByteBuffer(string: #"{"email":"pat@example.test"}"#)
            )
            #expect(disabled.status == .ok)
            Self.expectRefused(try await Self.call(client, patientToken), "invalid_token", "disabled user")
        }
    }

    @Test func identityProviderTokensFromTheJWKSFileAreAccepted() async throws {
        let idp = try IdentityProvider()
        defer { try? FileManager.default.removeItem(at: idp.jwksFile) }
        let harness = AuthHarness(idp.environment)
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let admin = try #require(try await harness.database().user(email: AuthHarness.adminEmail))
            let now = harness.clock.now
            let rs256 = try await idp.rs256(Self.claims(AuthHarness.adminEmail, at: now, ttl: 120))
            let es256 = try await idp.es256(Self.claims(admin.id.uuidString, at: now, ttl: 60))
            #expect(try Self.algorithm(of: rs256) == "RS256")
            #expect(try Self.algorithm(of: es256) == "ES256")
            #expect(try Self.header(of: es256)["kid"] as? String == "idp-ec")
            #expect(try await Self.call(client, rs256).status == .ok)
            #expect(try await Self.call(client, es256).status == .ok)

            // medvault's own tokens still work beside them.
            #expect(try await Self.call(client, try await harness.bearerTokens().issue(Self.claims(admin.id.uuidString, at: now))).status == .ok)

            // Expiry is checked on the injected clock for them too.
            harness.clock.advance(by: 61)
            Self.expectRefused(try await Self.call(client, es256), "token_expired")
            #expect(try await Self.call(client, rs256).status == .ok)
            harness.clock.advance(by: 60)
            Self.expectRefused(try await Self.call(client, rs256), "token_expired")

            // Keys that are not in the JWKS, under its key ids or none.
            let later = harness.clock.now
            let strangerRSA = try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
            let strangerEC = ES256PrivateKey()
            let claims = IdentityProvider.bound(Self.claims(admin.id.uuidString, at: later))
            for kid in ["idp-rsa", "unknown"] {
                let foreign = try await JWTKeyCollection().add(rsa: strangerRSA, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
                    .sign(claims, kid: JWKIdentifier(string: kid))
                Self.expectRefused(try await Self.call(client, foreign), "invalid_token", "RS256 from a key outside the JWKS, kid \(kid)")
            }
            let noKid = try await JWTKeyCollection().add(rsa: strangerRSA, digestAlgorithm: .sha256).sign(claims)
            Self.expectRefused(try await Self.call(client, noKid), "invalid_token", "RS256 from a key outside the JWKS, no kid")
            let foreignEC = try await JWTKeyCollection().add(ecdsa: strangerEC, kid: JWKIdentifier(string: "idp-ec"))
                .sign(claims, kid: JWKIdentifier(string: "idp-ec"))
            Self.expectRefused(try await Self.call(client, foreignEC), "invalid_token", "ES256 from a key outside the JWKS")

            // The identity provider's key, but an algorithm other than RS256 / ES256 (PS256).
            let pss = try await JWTKeyCollection().add(pss: idp.rsa, digestAlgorithm: .sha256, kid: JWKIdentifier(string: "idp-rsa"))
                .sign(claims, kid: JWKIdentifier(string: "idp-rsa"))
            Self.expectRefused(try await Self.call(client, pss), "invalid_token", "PS256")

            // A token from the identity provider must still name a stored user with matching claims.
            Self.expectRefused(try await Self.call(client, try await idp.rs256(Self.claims("ghost@example.test", at: later))), "invalid_token")
        }
    }

    @Test func anHS256TokenKeyedWithTheIdentityProvidersPublicKeyIsRefused() async throws {
        let idp = try IdentityProvider()
        defer { try? FileManager.default.removeItem(at: idp.jwksFile) }
        let harness = AuthHarness(idp.environment)
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let admin = try #require(try await harness.database().user(email: AuthHarness.adminEmail))
            let claims = Self.claims(admin.id.uuidString, at: harness.clock.now)
            #expect(try await Self.call(client, try await idp.rs256(claims)).status == .ok)

            // Everything an attacker can read about the public keys, used as the HMAC secret.
            let publicSecrets: [(String, [UInt8])] = [
                ("RSA public key PEM", Array(idp.rsa.publicKey.pemRepresentation.utf8)),
                ("RSA public key PEM with newline", Array((idp.rsa.publicKey.pemRepresentation + "\n").utf8)),
                ("RSA public key DER", Array(idp.rsa.publicKey.derRepresentation)),
                ("RSA public JWK", Array(idp.rsaJWKJSON.utf8)),
                ("whole JWKS", Array(idp.jwksJSON.utf8)),
                ("EC public key PEM", Array(idp.ec.publicKey.pemRepresentation.utf8)),
            ]
            for (label, secret) in publicSecrets {
                for kid in ["idp-rsa", "idp-ec", nil] as [String?] {
                    let forged = try await Self.hs256(claims, secret: secret, kid: kid)
                    #expect(try Self.algorithm(of: forged) == "HS256")
                    Self.expectRefused(try await Self.call(client, forged), "invalid_token", "HS256 keyed with \(label), kid \(kid ?? "none")")
                }
            }
        }
    }

    /// The `alg` of a token's header.
    private static func algorithm(of token: String) throws -> String? {
        try header(of: token)["alg"] as? String
    }

    /// A token's header.
    private static func header(of token: String) throws -> [String: Any] {
        let header = try #require(token.split(separator: ".").first)
        var base64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let data = try #require(Data(base64Encoded: base64))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return try #require(object)
    }
}

extension Data {
    /// Unpadded base64url (RFC 4648 §5).
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
