import Dispatch
import HummingbirdBcrypt

/// Hashes and checks passwords with bcrypt (hummingbird-auth) at the configured cost.
///
/// bcrypt is deliberately slow, so it runs on a dispatch thread, off Swift's cooperative pool, and only as many
/// at once as ``BcryptSlots`` allows (`MEDVAULT_BCRYPT_CONCURRENCY`). A check against an unknown account still
/// runs one bcrypt verification (against ``decoyHash``), so the response time does not reveal whether an
/// e-mail address has an account.
package struct PasswordHasher: Sendable {
    package let cost: Int
    /// A hash of a random password at the configured cost, made once at start-up.
    private let decoyHash: String
    let slots: BcryptSlots

    /// A hasher at `cost`; `concurrency` bcrypt computations at once, `queueLimit` sign-ins from one client
    /// address waiting for one.
    package init(cost: Int, concurrency: Int = 1, queueLimit: Int = 4) {
        self.cost = cost
        self.decoyHash = Bcrypt.hash(SessionCookie.newToken(), cost: UInt8(cost))
        self.slots = BcryptSlots(concurrency: concurrency, maxWaiting: queueLimit)
    }

    /// A bcrypt hash of `password`, once a slot is free (setting passwords is not refused for load).
    package func hash(_ password: String) async -> String {
        let cost = UInt8(self.cost)
        let permit = await slots.acquire(for: Self.passwordSettingQueue, bounded: false)
        let hashed = await Self.offPool { Bcrypt.hash(password, cost: cost) }
        _ = consume permit
        return hashed
    }

    /// A slot for one sign-in's check from `clientAddress`, or nil when too many sign-ins from there are
    /// waiting already.
    func reserve(for clientAddress: String?) async -> BcryptSlots.Permit? {
        await slots.acquire(for: "address " + (clientAddress ?? "unknown"), bounded: true)
    }

    /// The queue of ``hash(_:)`` (administrators and the command line setting passwords).
    private static let passwordSettingQueue = "setting passwords"

    /// Whether `password` matches `hash`, run under `permit`; with no hash (no such account) it spends the same
    /// time and fails.
    func verify(_ password: String, against hash: String?, holding permit: consuming BcryptSlots.Permit) async -> Bool {
        let target = hash ?? decoyHash
        let matches = await Self.offPool { Bcrypt.verify(password, hash: target) }
        _ = consume permit
        return hash != nil && matches
    }

    /// Runs `work` on a dispatch thread: a bcrypt parked on the cooperative pool would stall other requests.
    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}
