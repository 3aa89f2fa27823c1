import Foundation
import HTTPTypes
import HummingbirdTesting
import JWTKit
import Persistence
import Testing

@testable import Server

/// An identity provider's tokens are bound to it and to medvault: `iss` and `aud` must be the configured ones,
/// `nbf` and `iat` may not be ahead of the clock (give or take a minute), and a key set comes with both or
/// start-up is refused.
@Suite struct IdentityProviderTokenTests {
    typealias IdentityProvider = BearerTokenTests.IdentityProvider

    @Test func onlyTheConfiguredIssuerAndAudienceAreAccepted() async throws {
        let idp = try IdentityProvider()
        defer { try? FileManager.default.removeItem(at: idp.jwksFile) }
        let harness = AuthHarness(idp.environment)
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let now = harness.clock.now
            let claims = BearerTokenTests.claims(AuthHarness.adminEmail, at: now)
            #expect(try await BearerTokenTests.call(client, try await idp.rs256(claims)).status == .ok)

            var otherAudiences = claims
            otherAudiences.aud = AudienceClaim(value: ["another-app", IdentityProvider.audience])
            #expect(try await BearerTokenTests.call(client, try await idp.rs256(otherAudiences)).status == .ok, "one of several audiences")

            var refused: [(String, TokenClaims, Bool)] = []
            var wrongIssuer = claims
            wrongIssuer.iss = IssuerClaim(value: "https://idp.example.test/realms/other")
            refused.append(("another issuer", wrongIssuer, true))
            var wrongAudience = claims
            wrongAudience.aud = AudienceClaim(value: ["another-app"])
            refused.append(("another audience", wrongAudience, true))
            var noIssuer = IdentityProvider.bound(claims)
            noIssuer.iss = nil
            refused.append(("no issuer", noIssuer, false))
            var noAudience = IdentityProvider.bound(claims)
            noAudience.aud = nil
            refused.append(("no audience", noAudience, false))
            var caseChanged = claims
            caseChanged.aud = AudienceClaim(value: [IdentityProvider.audience.uppercased()])
            refused.append(("audience in another case", caseChanged, true))
            for (label, claims, bind) in refused {
                BearerTokenTests.expectRefused(
                    try await BearerTokenTests.call(client, try await idp.rs256(claims, bind: bind)),
                    "invalid_token",
                    "\(label)"
                )
            }
        }
    }

    @Test func notBeforeAndIssuedAtMayNotBeAheadOfTheClockBeyondTheLeeway() async throws {
        let idp = try IdentityProvider()
        defer { try? FileManager.default.removeItem(at: idp.jwksFile) }
        let harness = AuthHarness(idp.environment)
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let now = harness.clock.now
            let leeway = BearerTokens.clockLeeway
            let tokens = try await harness.bearerTokens()
            func claims(notBefore: TimeInterval? = nil, issuedAt: TimeInterval = 0) -> TokenClaims {
                var claims = BearerTokenTests.claims(AuthHarness.adminEmail, at: now.addingTimeInterval(issuedAt), ttl: 3600)
                claims.nbf = notBefore.map { NotBeforeClaim(value: now.addingTimeInterval($0)) }
                return claims
            }
            for (label, claims) in [
                ("nbf within the leeway", claims(notBefore: leeway - 1)), ("iat within the leeway", claims(issuedAt: leeway - 1)),
            ] {
                #expect(try await BearerTokenTests.call(client, try await idp.rs256(claims)).status == .ok, "\(label)")
                #expect(try await BearerTokenTests.call(client, try await tokens.issue(claims)).status == .ok, "HS256, \(label)")
            }
            let future = [("nbf ahead", claims(notBefore: leeway + 5)), ("iat ahead", claims(issuedAt: leeway + 5))]
            for (label, claims) in future {
                BearerTokenTests.expectRefused(try await BearerTokenTests.call(client, try await idp.rs256(claims)), "invalid_token", "\(label)")
                BearerTokenTests.expectRefused(
                    try await BearerTokenTests.call(client, try await tokens.issue(claims)),
                    "invalid_token",
                    "HS256, \(label)"
                )
            }
            // Once the clock has caught up, the same tokens are good.
            let later = try await idp.rs256(future[0].1)
            harness.clock.advance(by: 10)
            #expect(try await BearerTokenTests.call(client, later).status == .ok)
        }
    }

    @Test func aKeySetWithoutIssuerAndAudienceStopsStartUp() throws {
        let file = "/tmp/jwks.json"
        let url = "https://idp.example.test/jwks"
        let refusals: [([String: String], String)] = [
            (["MEDVAULT_JWKS_FILE": file], "MEDVAULT_JWT_ISSUER and MEDVAULT_JWT_AUDIENCE are required"),
            (["MEDVAULT_JWKS_URL": url, "MEDVAULT_JWT_ISSUER": "https://idp"], "MEDVAULT_JWT_ISSUER and MEDVAULT_JWT_AUDIENCE are required"),
            (["MEDVAULT_JWKS_URL": url, "MEDVAULT_JWT_AUDIENCE": "medvault"], "MEDVAULT_JWT_ISSUER and MEDVAULT_JWT_AUDIENCE are required"),
            (["MEDVAULT_JWKS_FILE": file, "MEDVAULT_JWKS_URL": url, "MEDVAULT_JWT_ISSUER": "i", "MEDVAULT_JWT_AUDIENCE": "a"], "not both"),
            (["MEDVAULT_JWKS_URL": "http://idp.example.test/jwks", "MEDVAULT_JWT_ISSUER": "i", "MEDVAULT_JWT_AUDIENCE": "a"], "https"),
            (["MEDVAULT_JWKS_URL": "http://127.0.0.1:9/jwks", "MEDVAULT_JWT_ISSUER": "i", "MEDVAULT_JWT_AUDIENCE": "a"], "https"),
            (["MEDVAULT_JWKS_URL": "not a url", "MEDVAULT_JWT_ISSUER": "i", "MEDVAULT_JWT_AUDIENCE": "a"], "https"),
            (["MEDVAULT_JWKS_CA_FILE": "/tmp/ca.pem"], "only used with MEDVAULT_JWKS_URL"),
            (
                ["MEDVAULT_JWKS_URL": url, "MEDVAULT_JWT_ISSUER": "i", "MEDVAULT_JWT_AUDIENCE": "a", "MEDVAULT_JWKS_REFETCH_INTERVAL": "0"],
                "MEDVAULT_JWKS_REFETCH_INTERVAL"
            ),
        ]
        for (environment, message) in refusals {
            #expect("\(environment)") {
                try AuthHarness(environment).configuration()
            } throws: { error in
                "\(error)".contains(message)
            }
        }
        let settings = try AuthHarness(["MEDVAULT_JWKS_URL": url, "MEDVAULT_JWT_ISSUER": "i", "MEDVAULT_JWT_AUDIENCE": "a"]).configuration().auth
        #expect(settings.identityProvider == IdentityProviderSettings(keys: .url(try #require(URL(string: url))), issuer: "i", audience: "a"))
        #expect(try AuthHarness(["MEDVAULT_JWT_ISSUER": "i"]).configuration().auth.identityProvider == nil, "no key set, nothing to bind")
    }

    @Test func anUnreadableCAFileStopsStartUp() async throws {
        let ca = FileManager.default.temporaryDirectory.appendingPathComponent("medvault-ca-\(UUID().uuidString).pem")
        try "not a certificate".write(to: ca, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: ca) }
        for path in [ca.path, "/nonexistent/ca.pem"] {
            let harness = AuthHarness([
                "MEDVAULT_JWKS_URL": "https://127.0.0.1:9/jwks", "MEDVAULT_JWT_ISSUER": "i", "MEDVAULT_JWT_AUDIENCE": "a",
                "MEDVAULT_JWKS_CA_FILE": path,
            ])
            defer { harness.removeDirectory() }
            await #expect {
                try await harness.withApp { _ async throws in }
            } throws: { error in
                "\(error)".contains("MEDVAULT_JWKS_CA_FILE")
            }
        }
    }
}
