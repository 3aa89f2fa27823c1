import Synchronization

/// Bounds how many previews libvips renders at once, so that a burst of uploads cannot take every core and the memory
/// of as many decoded images; the others wait their turn in arrival order.
final class RenderSlots: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    /// `count` slots, at least one.
    init(count: Int) {
        state = Mutex(State(free: max(1, count)))
    }

    /// Runs `work` once a slot is free, holding the slot until it returns.
    func withSlot<T: Sendable, E: Error>(_ work: () async throws(E) -> T) async throws(E) -> T {
        await acquire()
        defer { release() }
        return try await work()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
