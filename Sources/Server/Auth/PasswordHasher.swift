import HummingbirdBcrypt

/// Hashes and checks passwords with bcrypt (hummingbird-auth) at the configured cost.
///
/// bcrypt is deliberately slow, so both calls run off the event loop. A check against an unknown account
/// still runs one bcrypt verification (against ``decoyHash``), so the response time does not reveal whether
/// an e-mail address has an account.
package struct PasswordHasher: Sendable {
    package let cost: Int
    /// A hash of a random password at the configured cost, made once at start-up.
    private let decoyHash: String

    package init(cost: Int) {
        self.cost = cost
        self.decoyHash = Bcrypt.hash(SessionCookie.newToken(), cost: UInt8(cost))
    }

    /// A bcrypt hash of `password`.
    package func hash(_ password: String) async -> String {
        let cost = UInt8(self.cost)
        return await Task.detached { Bcrypt.hash(password, cost: cost) }.value
    }

    /// Whether `password` matches `hash`; with no hash (no such account) it spends the same time and fails.
    func verify(_ password: String, against hash: String?) async -> Bool {
        let target = hash ?? decoyHash
        let matches = await Task.detached { Bcrypt.verify(password, hash: target) }.value
        return hash != nil && matches
    }
}
