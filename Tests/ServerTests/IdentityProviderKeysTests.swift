import Foundation
import JWTKit
import Logging
import Synchronization
import Testing

@testable import Server

/// When an identity provider's key set is fetched again: for a key id it lacks (rotation), at most once per
/// refetch interval, once it is too old, one fetch at a time, and never at the cost of the last good set.
@Suite struct IdentityProviderKeysTests {
    /// A key the provider signs with, published under `kid`.
    struct SigningKey {
        let kid: String
        let key = ES256PrivateKey()

        var jwk: String {
            let point = key.publicKey.parameters
            return #"{"kty":"EC","kid":"\#(kid)","alg":"ES256","use":"sig","crv":"P-256","x":"\#(point?.x ?? "")","y":"\#(point?.y ?? "")"}"#
        }

        func token(at date: Date) async throws -> String {
            let claims = TokenClaims(subject: "someone", role: "admin", patientID: nil, issuedAt: date, expiresAt: date + 300)
            return try await JWTKeyCollection().add(ecdsa: key, kid: JWKIdentifier(string: kid)).sign(claims, kid: JWKIdentifier(string: kid))
        }
    }

    /// The provider's JWKS endpoint: answers what the test last published (or fails), counting fetches.
    final class Provider: JWKSSource {
        private struct State {
            var answer: Result<String, Down> = .failure(Down())
            var fetches = 0
        }

        struct Down: Error {}

        private let state = Mutex(State())
        /// Held closed by tests that need a fetch to stay under way.
        let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let gated: Bool

        init(gated: Bool = false) {
            self.gated = gated
        }

        var fetches: Int { state.withLock { $0.fetches } }

        func publish(_ keys: [SigningKey]) {
            let json = #"{"keys":[\#(keys.map(\.jwk).joined(separator: ","))]}"#
            state.withLock { $0.answer = .success(json) }
        }

        func publish(text: String) {
            state.withLock { $0.answer = .success(text) }
        }

        func goDown() {
            state.withLock { $0.answer = .failure(Down()) }
        }

        func fetch() async throws -> String {
            state.withLock { $0.fetches += 1 }
            if gated {
                await withCheckedContinuation { continuation in gate.withLock { $0 = continuation } }
            }
            return try state.withLock { try $0.answer.get() }
        }
    }

    /// The fetch failures these tests provoke are logged as warnings; not here.
    private static let quiet = Logger(label: "medvault-test") { _ in SwiftLogNoOpLogHandler() }

    private static func keys(_ provider: Provider, clock: ManualClock) -> IdentityProviderKeys {
        IdentityProviderKeys(source: provider, refetchInterval: 60, maxAge: 3600, now: { clock.now }, logger: Self.quiet)
    }

    /// Whether `collection` verifies a token signed by `key`.
    private static func verifies(_ collection: JWTKeyCollection?, _ key: SigningKey, at date: Date) async throws -> Bool {
        guard let collection else { return false }
        return (try? await collection.verify(try await key.token(at: date), as: TokenClaims.self)) != nil
    }

    @Test func aRotatedKeyIsPickedUpWhenATokenNamesItsUnknownKeyID() async throws {
        let clock = ManualClock()
        let provider = Provider()
        let (old, new) = (SigningKey(kid: "2026-11"), SigningKey(kid: "2026-12"))
        provider.publish([old])
        let keys = Self.keys(provider, clock: clock)
        await keys.refresh()
        #expect(provider.fetches == 1)
        #expect(try await Self.verifies(await keys.keys(for: old.kid), old, at: clock.now))
        #expect(provider.fetches == 1, "a known key id is served from the cache")

        provider.publish([old, new])
        clock.advance(by: 61)
        let rotated = await keys.keys(for: new.kid)
        #expect(provider.fetches == 2, "an unknown key id fetches the set again")
        #expect(try await Self.verifies(rotated, new, at: clock.now))
        #expect(try await Self.verifies(rotated, old, at: clock.now))
    }

    @Test func unknownKeyIDsFetchAtMostOncePerRefetchInterval() async throws {
        let clock = ManualClock()
        let provider = Provider()
        let known = SigningKey(kid: "known")
        provider.publish([known])
        let keys = Self.keys(provider, clock: clock)
        await keys.refresh()
        clock.advance(by: 59)
        for index in 0..<20 {
            #expect(try await Self.verifies(await keys.keys(for: "made-up-\(index)"), known, at: clock.now))
        }
        #expect(provider.fetches == 1, "too soon after the last fetch")
        clock.advance(by: 1)
        _ = await keys.keys(for: "made-up")
        _ = await keys.keys(for: "made-up-again")
        #expect(provider.fetches == 2)
    }

    @Test func whenTheProviderIsDownTheLastGoodSetIsKept() async throws {
        let clock = ManualClock()
        let provider = Provider()
        let key = SigningKey(kid: "k1")
        provider.publish([key])
        let keys = Self.keys(provider, clock: clock)
        await keys.refresh()

        provider.goDown()
        clock.advance(by: 3600)
        #expect(try await Self.verifies(await keys.keys(for: key.kid), key, at: clock.now), "too old: served while fetched again")
        await keys.waitForFetch()
        #expect(provider.fetches == 2)
        #expect(try await Self.verifies(await keys.keys(for: key.kid), key, at: clock.now), "the fetch failed: still served")
        #expect(provider.fetches == 2, "and not fetched again before the refetch interval")
        clock.advance(by: 61)
        #expect(try await Self.verifies(await keys.keys(for: "unknown"), key, at: clock.now))
        #expect(provider.fetches == 3)

        // A broken answer is no better than none.
        provider.publish(text: #"{"keys":[{"kty":"EC","crv":"P-256"}]}"#)
        clock.advance(by: 61)
        #expect(try await Self.verifies(await keys.keys(for: "unknown"), key, at: clock.now))
        #expect(provider.fetches == 4)

        // Back up: the next due fetch replaces the set.
        let next = SigningKey(kid: "k2")
        provider.publish([next])
        clock.advance(by: 61)
        let fresh = await keys.keys(for: next.kid)
        #expect(try await Self.verifies(fresh, next, at: clock.now))
        #expect(try await !Self.verifies(fresh, key, at: clock.now), "a key the provider withdrew is gone")
    }

    @Test func withoutAnySetTokensAreRefusedAndFetchingIsStillRateLimited() async throws {
        let clock = ManualClock()
        let provider = Provider()
        let keys = Self.keys(provider, clock: clock)
        await keys.refresh()
        #expect(await keys.keys(for: "k") == nil)
        #expect(provider.fetches == 1)
        let key = SigningKey(kid: "k")
        provider.publish([key])
        clock.advance(by: 60)
        #expect(try await Self.verifies(await keys.keys(for: "k"), key, at: clock.now))
        #expect(provider.fetches == 2)
    }

    @Test func anOldSetIsFetchedAgainInTheBackgroundAndReplaced() async throws {
        let clock = ManualClock()
        let provider = Provider()
        let (first, second) = (SigningKey(kid: "a"), SigningKey(kid: "b"))
        provider.publish([first])
        let keys = Self.keys(provider, clock: clock)
        await keys.refresh()
        provider.publish([second])
        clock.advance(by: 3599)
        _ = await keys.keys(for: first.kid)
        #expect(provider.fetches == 1, "not old yet")
        clock.advance(by: 1)
        _ = await keys.keys(for: first.kid)
        await keys.waitForFetch()
        #expect(provider.fetches == 2)
        #expect(try await Self.verifies(await keys.keys(for: second.kid), second, at: clock.now))
        #expect(provider.fetches == 2)
    }

    @Test func simultaneousRequestsShareOneFetch() async throws {
        let clock = ManualClock()
        let provider = Provider(gated: true)
        let key = SigningKey(kid: "k")
        provider.publish([key])
        let keys = Self.keys(provider, clock: clock)
        let served = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask { try await Self.verifies(await keys.keys(for: "k"), key, at: clock.now) }
            }
            while provider.gate.withLock({ $0 == nil }) { await Task.yield() }
            try await Task.sleep(for: .milliseconds(20))  // the other nine arrive while the fetch is under way
            provider.gate.withLock { $0?.resume() }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(served == Array(repeating: true, count: 10))
        #expect(provider.fetches == 1)
    }
}
