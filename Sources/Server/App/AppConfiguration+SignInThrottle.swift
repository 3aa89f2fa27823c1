import Configuration
import Foundation

extension AppConfiguration {
    /// The sign-in throttle's variables (``SignInThrottleSettings``), each a positive whole number.
    static func loadSignInThrottle(from reader: ConfigReader) throws(ConfigurationError) -> SignInThrottleSettings {
        let defaults = SignInThrottleSettings()
        func number(_ key: ConfigKey, _ name: String, _ fallback: Double) throws(ConfigurationError) -> Double {
            try seconds(reader, key, name: name, default: fallback)
        }
        return SignInThrottleSettings(
            addressBurst: Int(try number("medvault.sign.in.address.burst", "MEDVAULT_SIGN_IN_ADDRESS_BURST", Double(defaults.addressBurst))),
            addressRefill: try number("medvault.sign.in.address.refill", "MEDVAULT_SIGN_IN_ADDRESS_REFILL", defaults.addressRefill),
            accountBurst: Int(try number("medvault.sign.in.account.burst", "MEDVAULT_SIGN_IN_ACCOUNT_BURST", Double(defaults.accountBurst))),
            accountRefill: try number("medvault.sign.in.account.refill", "MEDVAULT_SIGN_IN_ACCOUNT_REFILL", defaults.accountRefill),
            bcryptConcurrency: Int(try number("medvault.bcrypt.concurrency", "MEDVAULT_BCRYPT_CONCURRENCY", Double(defaults.bcryptConcurrency))),
            queueLimit: Int(try number("medvault.sign.in.queue", "MEDVAULT_SIGN_IN_QUEUE", Double(defaults.queueLimit)))
        )
    }
}
