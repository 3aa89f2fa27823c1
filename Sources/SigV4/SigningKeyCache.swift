import Synchronization

/// A bounded, thread-safe cache of derived signing keys, keyed by (access key ID, day, region, service).
///
/// Deriving a key costs four HMACs; a key is valid for a whole UTC day, so the server derives it once a day per
/// credential instead of once per signature or verification. Share one cache between the signers and the verifier.
///
/// - important: an entry also remembers the secret it was derived from and is only reused for that same secret,
///   so a rotated secret (or a second signer using the same access key ID with another secret) never gets a key
///   derived from the wrong one. The secret stays inside the cache and is never exposed.
public final class SigningKeyCache: Sendable {
    private struct Key: Hashable {
        let accessKeyID: String
        let dayNumber: Int
        let region: String
        let service: String
    }

    private struct Entry {
        let secret: String
        let signingKey: SigningKey
        let sequence: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var nextSequence: UInt64 = 0
        /// The entry returned last. A server signs with one credential, region and service, so nearly every call
        /// asks for it again; comparing the key with it skips hashing three strings for the dictionary.
        var last: (key: Key, entry: Entry)?

        /// The cached entry for `key` derived from `secret`, remembered as the last one.
        mutating func lookUp(_ key: Key, secret: String) -> SigningKey? {
            // Compared in place: binding `last` would copy (and retain) its four strings.
            if self.last?.key == key, self.last?.entry.secret == secret, let hit = self.last?.entry.signingKey { return hit }
            guard let entry = self.entries[key], entry.secret == secret else { return nil }
            self.last = (key, entry)
            return entry.signingKey
        }
    }

    /// The most keys kept at once; beyond it, the oldest inserted key is dropped.
    package let capacity: Int
    private let state = Mutex(State())

    /// Creates an empty cache holding at most `capacity` keys (at least 1).
    public init(capacity: Int = 64) {
        self.capacity = max(1, capacity)
    }

    /// How many keys are cached now.
    package var count: Int {
        self.state.withLock { $0.entries.count }
    }

    /// Removes every key (e.g. after credentials were rotated).
    package func removeAll() {
        self.state.withLock { state in
            state.entries.removeAll()
            state.last = nil
        }
    }

    /// The signing key for `date`'s day, derived (stage 3) on a miss and cached.
    func signingKey(accessKeyID: String, secret: String, date: AmzDate, region: String, service: String) -> SigningKey {
        let key = Key(accessKeyID: accessKeyID, dayNumber: date.dayNumber, region: region, service: service)
        if let cached = self.state.withLock({ $0.lookUp(key, secret: secret) }) { return cached }
        // Derive outside the lock: four HMACs should not block other signers.
        let derived = SigningStages.deriveSigningKey(secret: secret, date: date, region: region, service: service)
        return self.state.withLock { state in
            if let cached = state.lookUp(key, secret: secret) { return cached }
            if state.entries[key] == nil, state.entries.count >= self.capacity,
                let oldest = state.entries.min(by: { $0.value.sequence < $1.value.sequence })?.key
            {
                state.entries[oldest] = nil
            }
            let entry = Entry(secret: secret, signingKey: derived, sequence: state.nextSequence)
            state.entries[key] = entry
            state.last = (key, entry)
            state.nextSequence &+= 1
            return derived
        }
    }
}
