import Foundation
import JWTKit
import Testing

@testable import Server

/// The set of already verified HS256 tokens: what it remembers, that it stays bounded, and that it never lets a token
/// through that was not verified itself (a tampered copy of a remembered one, one past its `exp`).
@Suite struct VerifiedTokensTests {
    private static let claims = TokenClaims(
        subject: "7f2c1c8e-4a57-4d0a-9a55-1d2b5b0c9e11",
        role: "admin",
        patientID: nil,
        issuedAt: Date(timeIntervalSince1970: 1_800_000_000),
        expiresAt: Date(timeIntervalSince1970: 1_800_000_600)
    )

    @Test func onlyARememberedTokenIsKnown() {
        let verified = VerifiedTokens()
        #expect(verified.claims(of: "a.b.c") == nil)
        verified.remember(Self.claims, of: "a.b.c")
        #expect(verified.claims(of: "a.b.c") == Self.claims)
        #expect(verified.claims(of: "a.b.d") == nil)
    }

    @Test func aFullSetStartsAgainEmpty() {
        let verified = VerifiedTokens()
        for index in 0..<VerifiedTokens.capacity {
            verified.remember(Self.claims, of: "token-\(index)")
        }
        #expect(verified.claims(of: "token-0") == Self.claims)
        verified.remember(Self.claims, of: "one more")
        #expect(verified.claims(of: "token-0") == nil)
        #expect(verified.claims(of: "one more") == Self.claims)
    }

    @Test func aTamperedCopyOfAVerifiedTokenIsRefusedAndARememberedOneStillExpires() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        let tokens = try await harness.bearerTokens()
        let now = harness.clock.now
        let claims = TokenClaims(subject: Self.claims.sub.value, role: "admin", patientID: nil, issuedAt: now, expiresAt: now.addingTimeInterval(60))
        let token = try await tokens.issue(claims)
        #expect(try await tokens.verify(token).sub == claims.sub)
        #expect(try await tokens.verify(token).sub == claims.sub, "the second time from the set")

        let signature = try #require(token.split(separator: ".").last)
        let flipped = signature.first == "A" ? "B" : "A"
        let tampered = token.dropLast(signature.count) + flipped + signature.dropFirst()
        await #expect(throws: AuthenticationFailure.invalidToken) { try await tokens.verify(String(tampered)) }

        harness.clock.advance(by: 61)
        await #expect(throws: AuthenticationFailure.tokenExpired) { try await tokens.verify(token) }
    }
}
