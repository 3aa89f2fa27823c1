/// A configuration value that must never leave the process: printing, logging or encoding it yields
/// `<redacted>`, so a secret cannot end up in `/config`, an error or a log line by accident.
package struct SecretValue: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself; read it only where it is used (signing, decryption).
    package let value: String

    package init(_ value: String) {
        self.value = value
    }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
}
