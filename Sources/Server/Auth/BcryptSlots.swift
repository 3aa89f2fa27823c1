import Synchronization

/// Bounds how many bcrypt computations run at once, and shares the waiting fairly between client addresses.
///
/// bcrypt at cost 12 takes a core for about a quarter of a second; without a bound, a few dozen simultaneous
/// sign-ins took every core and a real sign-in waited seconds behind them, as did every other request. Holders
/// of a ``Permit`` run bcrypt. The others wait in one queue per client address, and a freed slot goes to the
/// addresses in turn, so a sign-in from an address that is not flooding waits for at most one computation
/// per other waiting address, however many the flooding one has queued. An address with ``maxWaiting``
/// sign-ins waiting already is refused at once (429) rather than queued. Administrators setting passwords
/// wait in a queue of their own, without that limit.
final class BcryptSlots: Sendable {
    /// How many sign-ins from one client address may wait for a slot.
    let maxWaiting: Int

    private struct State {
        var free: Int
        /// The waiting callers of each key, in arrival order.
        var queues: [String: [CheckedContinuation<Bool, Never>]] = [:]
        /// The keys with someone waiting, in the order they are served next.
        var turns: [String] = []
    }

    private let state: Mutex<State>

    /// `concurrency` slots (at least 1); at most `maxWaiting` sign-ins from one address wait for one.
    init(concurrency: Int, maxWaiting: Int) {
        self.maxWaiting = maxWaiting
        self.state = Mutex(State(free: max(1, concurrency)))
    }

    /// The right to run one bcrypt computation; the slot is handed on when the permit goes out of scope.
    struct Permit: ~Copyable, Sendable {
        fileprivate let slots: BcryptSlots

        deinit { slots.release() }
    }

    /// Waits for a slot in `key`'s queue; nil, at once, when `bounded` and ``maxWaiting`` of `key` are
    /// waiting already.
    func acquire(for key: String, bounded: Bool) async -> Permit? {
        let acquired: Bool = await withCheckedContinuation { continuation in
            let immediate: Bool? = state.withLock { state in
                if state.free > 0 {
                    state.free -= 1
                    return true
                }
                let queue = state.queues[key, default: []]
                if bounded && queue.count >= maxWaiting { return false }
                if queue.isEmpty { state.turns.append(key) }
                state.queues[key] = queue + [continuation]
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
        return acquired ? Permit(slots: self) : nil
    }

    /// How many callers of `key` are waiting for a slot (tests wait on it to order their callers).
    func waitingCount(for key: String) -> Int {
        state.withLock { $0.queues[key]?.count ?? 0 }
    }

    /// Hands the slot to the first waiter of the key whose turn it is, or frees it.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.turns.isEmpty else {
                state.free += 1
                return nil
            }
            let key = state.turns.removeFirst()
            var queue = state.queues[key, default: []]
            let first = queue.removeFirst()
            if queue.isEmpty {
                state.queues[key] = nil
            } else {
                state.queues[key] = queue
                state.turns.append(key)
            }
            return first
        }
        next?.resume(returning: true)
    }
}
