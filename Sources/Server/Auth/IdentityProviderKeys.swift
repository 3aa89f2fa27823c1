import Foundation
import JWTKit
import Logging

/// An identity provider's current public keys, refreshed from a ``JWKSSource`` when they may have changed.
///
/// Providers rotate keys: a token signed with a new key names a `kid` the cached set lacks, and that is when the
/// set is fetched again, with the request waiting for it, at most once per refetch interval so that tokens with
/// made-up key ids cannot make medvault hammer the provider. A set older than its maximum age is fetched again
/// in the background while it goes on being used. A failed fetch (the provider down, a bad answer) keeps the
/// last good set, so tokens signed with known keys go on working; it is logged, without the token. One fetch at
/// a time: callers arriving meanwhile that need it wait for it.
actor IdentityProviderKeys {
    private let source: (any JWKSSource)?
    private let refetchInterval: TimeInterval
    private let maxAge: TimeInterval
    private let now: @Sendable () -> Date
    private let logger: Logger

    private var current: IdentityProviderKeySet?
    private var fetchedAt: Date?
    private var lastAttempt: Date?
    private var inFlight: Task<Void, Never>?

    /// Keys that never change (`MEDVAULT_JWKS_FILE`, read at start-up).
    init(fixed keys: IdentityProviderKeySet, logger: Logger) {
        self.source = nil
        self.current = keys
        self.refetchInterval = .infinity
        self.maxAge = .infinity
        self.now = Date.init
        self.logger = logger
    }

    /// Keys fetched from `source` on demand (`MEDVAULT_JWKS_URL`).
    init(source: any JWKSSource, refetchInterval: TimeInterval, maxAge: TimeInterval, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.source = source
        self.refetchInterval = refetchInterval
        self.maxAge = maxAge
        self.now = now
        self.logger = logger
    }

    /// The keys to verify a token naming `keyID` with. When the cached set lacks that key id or there is none
    /// yet, it is fetched first (if the last attempt is long enough ago); when it is merely old, it is fetched in
    /// the background. Nil while no set was ever fetched.
    func keys(for keyID: String?) async -> JWTKeyCollection? {
        guard let current, let fetchedAt else {
            if mayFetch { await startFetch().value }
            return self.current?.keys
        }
        if let keyID, !current.keyIDs.contains(keyID) {
            if mayFetch { await startFetch().value }
        } else if now().timeIntervalSince(fetchedAt) >= maxAge, mayFetch {
            startFetch()
        }
        return self.current?.keys
    }

    /// Fetches the set now and waits for it (or for the fetch already under way).
    func refresh() async {
        guard source != nil else { return }
        await startFetch().value
    }

    /// Waits for the fetch under way, if any (a background one, in tests).
    func waitForFetch() async {
        await inFlight?.value
    }

    /// Whether a fetch may start now: one is under way (join it), or the last attempt is a refetch interval ago.
    private var mayFetch: Bool {
        guard source != nil else { return false }
        return inFlight != nil || lastAttempt.map { now().timeIntervalSince($0) >= refetchInterval } ?? true
    }

    /// The fetch under way, or a new one.
    @discardableResult
    private func startFetch() -> Task<Void, Never> {
        if let inFlight { return inFlight }
        lastAttempt = now()
        let fetch = Task { await self.fetchAndKeep() }
        inFlight = fetch
        return fetch
    }

    private func fetchAndKeep() async {
        defer { inFlight = nil }
        guard let source else { return }
        do {
            let keys = try await IdentityProviderKeySet(json: try await source.fetch())
            current = keys
            fetchedAt = now()
            logger.info("identity provider keys fetched", metadata: ["keyIDs": "\(keys.keyIDs.sorted().joined(separator: ","))"])
        } catch {
            logger.warning(
                "identity provider keys could not be fetched; keeping the last good set",
                metadata: ["error": "\(error)", "haveKeys": "\(current != nil)"]
            )
        }
    }
}
