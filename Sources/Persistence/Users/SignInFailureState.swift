import Foundation

/// What one failed sign-in did to an account: how many consecutive failures it made, and whether it locked it.
///
/// The caller answers the client the same way either way (failures never reveal whether an account exists or
/// is locked); this is for its logs, metrics and tests.
package struct SignInFailureState: Sendable, Equatable {
    /// Consecutive failures including this one; equal to the limit when this failure locked the account (the
    /// stored counter then starts again from 0).
    package var failedAttempts: Int
    /// Until when the account is now locked, if this failure locked it; nil otherwise.
    package var lockedUntil: Date?

    /// Whether this failure locked the account.
    package var didLock: Bool { lockedUntil != nil }

    /// Creates a state.
    package init(failedAttempts: Int, lockedUntil: Date?) {
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
    }
}
