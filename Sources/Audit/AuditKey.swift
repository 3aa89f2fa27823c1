import Crypto

/// The secret that keys the audit chain: rows are sealed with HMAC-SHA256 under it (``AuditChainVersion/keyed``),
/// so someone who can write the database but does not hold the key cannot rebuild a consistent chain.
///
/// It comes from outside the database (`MEDVAULT_AUDIT_KEY`, else `audit.key` beside `storage.key`); the server
/// and `medvault audit verify` read it the same way.
/// - important: The key is a secret: printing a value of this type shows `<redacted>`, never the bytes.
package struct AuditKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let symmetricKey: SymmetricKey

    /// Wraps key material (32 random bytes, as the key providers make and check).
    package init(_ key: SymmetricKey) {
        symmetricKey = key
    }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
}
