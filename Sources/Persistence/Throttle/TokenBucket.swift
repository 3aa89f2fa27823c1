import Foundation

/// A token bucket kept as one instant: when it was (or would have been) last empty.
///
/// A bucket holds at most ``size`` tokens and earns one back every ``refillInterval``; each attempt takes one,
/// and an attempt that finds less than one token is refused until the next one is earned. Rather than a level
/// and a time, the bucket is stored as `emptyAt`: its level at `now` is `(now - emptyAt) / refillInterval`,
/// capped at ``size``. Taking a token moves `emptyAt` one interval on (from `now - size * interval` at the
/// earliest, so a full bucket does not keep earning), which is one exact integer per bucket in the database,
/// and a bucket whose `emptyAt` is a whole size ago is full and need not be stored at all.
///
/// Pure: the instants are inputs, in milliseconds since 1970, as they are stored.
package struct TokenBucket: Sendable, Equatable {
    /// The most tokens the bucket holds: how many attempts may come at once.
    package let size: Int
    /// How long it takes to earn one token back, in milliseconds.
    package let refillInterval: Int64

    /// A bucket of `size` tokens (at least 1) earning one back every `refillInterval` (at least 1 ms).
    package init(size: Int, refillInterval: TimeInterval) {
        self.size = max(1, size)
        self.refillInterval = max(1, Int64((refillInterval * 1000).rounded()))
    }

    /// How long an untouched bucket takes to fill from empty, in milliseconds.
    package var fillTime: Int64 { Int64(size) * refillInterval }

    /// What taking one token at `now` does, for a bucket last empty at `emptyAt` (nil: not stored, so full).
    package func take(emptyAt: Int64?, now: Int64) -> Outcome {
        let start = max(emptyAt ?? Int64.min, now - fillTime)
        let next = start + refillInterval
        if next <= now { return .taken(emptyAt: next) }
        return .refused(retryAfter: next - now)
    }

    /// The result of ``take(emptyAt:now:)``.
    package enum Outcome: Sendable, Equatable {
        /// A token was taken; store `emptyAt`.
        case taken(emptyAt: Int64)
        /// The bucket is empty; a token is earned in `retryAfter` milliseconds. Nothing changes.
        case refused(retryAfter: Int64)
    }
}
