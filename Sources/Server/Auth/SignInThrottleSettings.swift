import Foundation

/// How hard password sign-in may be pushed: token buckets per client address and per account identifier,
/// and how much bcrypt runs at once. Read from the environment with the rest of ``AuthSettings``.
///
/// Every sign-in attempt costs a bcrypt verification (unknown accounts too, so that timing does not reveal
/// which exist), so unthrottled attempts are a cheap way to use up the server's CPU. The defaults let a person
/// mistype a few times and a clinic behind one address sign in together, and refuse a script.
package struct SignInThrottleSettings: Sendable, Equatable {
    /// `MEDVAULT_SIGN_IN_ADDRESS_BURST` (default 30): sign-ins one client address may make at once.
    package var addressBurst: Int
    /// `MEDVAULT_SIGN_IN_ADDRESS_REFILL` (seconds, default 2): how often an address earns one attempt back.
    package var addressRefill: TimeInterval
    /// `MEDVAULT_SIGN_IN_ACCOUNT_BURST` (default 10): sign-ins for one e-mail address (existing or not) at once.
    package var accountBurst: Int
    /// `MEDVAULT_SIGN_IN_ACCOUNT_REFILL` (seconds, default 30): how often an account earns one attempt back.
    package var accountRefill: TimeInterval
    /// `MEDVAULT_BCRYPT_CONCURRENCY` (default: the number of cores less one, at least 1): bcrypt computations at
    /// once. The rest wait their turn, client addresses taking turns, so a flood of sign-ins can neither take
    /// every core from the other requests nor make sign-ins from elsewhere wait behind it (``BcryptSlots``).
    package var bcryptConcurrency: Int
    /// `MEDVAULT_SIGN_IN_QUEUE` (default 4): sign-ins from one client address that may wait for a bcrypt slot;
    /// one more is refused at once (429).
    package var queueLimit: Int

    package init(
        addressBurst: Int = 30,
        addressRefill: TimeInterval = 2,
        accountBurst: Int = 10,
        accountRefill: TimeInterval = 30,
        bcryptConcurrency: Int = max(1, ProcessInfo.processInfo.activeProcessorCount - 1),
        queueLimit: Int = 4
    ) {
        self.addressBurst = addressBurst
        self.addressRefill = addressRefill
        self.accountBurst = accountBurst
        self.accountRefill = accountRefill
        self.bcryptConcurrency = bcryptConcurrency
        self.queueLimit = queueLimit
    }
}
