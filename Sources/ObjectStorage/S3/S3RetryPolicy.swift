/// When and how soon a failed idempotent S3 call is tried again: exponential back-off with "equal jitter"
/// ("Exponential Backoff And Jitter", AWS Architecture Blog; AWS SDKs' standard retry mode), a bounded number
/// of attempts, and never past the call's overall deadline.
///
/// Pure: the random number is an input, so tests check exact delays.
package struct S3RetryPolicy: Sendable, Equatable {
    /// Attempts in total, the first included; 1 disables retries.
    package var maxAttempts: Int
    /// The back-off ceiling after the first failure; it doubles with every further failure.
    package var baseDelay: Duration
    /// The largest ceiling, whatever the attempt.
    package var maxDelay: Duration

    /// Four attempts, 100 ms doubling up to 5 s: the AWS SDKs' standard mode (3 retries, 20 s cap) scaled to a
    /// server that answers users.
    package init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(5)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// No retries: every failure is final (for callers that retry themselves, and for tests).
    package static let none = S3RetryPolicy(maxAttempts: 1)

    /// The pause before the attempt after `failedAttempts` failures (1 for the first retry): half the ceiling
    /// `min(maxDelay, baseDelay × 2^(failedAttempts-1))` plus `random` (in 0..<1) times the other half, so
    /// retries of many clients spread out but never come back at once.
    func delay(afterFailedAttempts failedAttempts: Int, random: Double) -> Duration {
        let exponent = min(max(failedAttempts - 1, 0), 30)
        var ceiling = self.baseDelay * (1 << exponent)
        if ceiling > self.maxDelay || ceiling < .zero { ceiling = self.maxDelay }
        let unit = min(max(random, 0), 1)
        let (seconds, attoseconds) = ceiling.components
        let halfNanoseconds = (seconds * 1_000_000_000 + attoseconds / 1_000_000_000) / 2
        return .nanoseconds(halfNanoseconds + Int64((Double(halfNanoseconds) * unit).rounded()))
    }

    /// Whether another attempt may start: the error is transient, the call is idempotent, attempts remain, and the
    /// pause (or the server's `Retry-After`, if longer) still ends before the deadline.
    ///
    /// - Parameters:
    ///   - failedAttempts: attempts made so far, all failed.
    ///   - remaining: time left before the call's overall deadline.
    ///   - retryAfter: the server's `Retry-After`, if it sent one.
    /// - Returns: the pause before the next attempt, or nil to give up.
    func nextDelay(
        afterFailedAttempts failedAttempts: Int,
        isTransient: Bool,
        isIdempotent: Bool,
        remaining: Duration,
        retryAfter: Duration?,
        random: Double
    ) -> Duration? {
        guard isTransient, isIdempotent, failedAttempts < self.maxAttempts else { return nil }
        var pause = self.delay(afterFailedAttempts: failedAttempts, random: random)
        if let retryAfter, retryAfter > pause { pause = retryAfter }
        // A retry needs time for the pause and for the attempt itself; the attempt's own deadline is clipped to
        // what remains, so require at least as much time again as the pause.
        guard pause * 2 < remaining else { return nil }
        return pause
    }

    /// At least one attempt, and non-negative delays.
    func validate() throws(StorageError) {
        guard self.maxAttempts >= 1, self.baseDelay >= .zero, self.maxDelay >= self.baseDelay else {
            throw .failure("Invalid S3 configuration: the retry policy needs at least one attempt and 0 ≤ base delay ≤ max delay.")
        }
    }
}
