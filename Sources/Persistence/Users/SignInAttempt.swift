import Foundation

/// A sign-in attempt the database admitted to a password check (``UserDirectory/admitSignIn(email:at:maxAttempts:lockDuration:)``).
///
/// The attempt is counted against the account before its password is checked, so that concurrent attempts
/// cannot all pass the lockout check first and be checked afterwards: of any number of simultaneous
/// attempts, at most the limit are admitted. The one that reaches the limit locks the account as it is
/// admitted; if its own password turns out right it lifts that lock again, but no other attempt can.
package struct SignInAttempt: Sendable, Equatable {
    /// Attempts counted against the account since the last success or lockout, this one included; equal to
    /// the limit for the attempt that locked the account (the stored count then starts again from 0).
    package var attemptNumber: Int
    /// Until when this attempt locked the account, if it was the one that reached the limit; nil otherwise.
    package var lockedUntil: Date?

    /// Whether this attempt locked the account.
    package var didLock: Bool { lockedUntil != nil }

    /// Creates an attempt.
    package init(attemptNumber: Int, lockedUntil: Date?) {
        self.attemptNumber = attemptNumber
        self.lockedUntil = lockedUntil
    }
}
