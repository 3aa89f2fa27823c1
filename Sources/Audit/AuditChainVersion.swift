/// How a stored audit row's `hash` was computed; stored with the row (`audit_events.chain_version`).
///
/// The raw values are a contract with every row already stored: never renumber, only add.
package enum AuditChainVersion: Int64, CaseIterable, Sendable, Codable {
    /// SHA-256 of the version 1 encoding, with no key: every row written before the chain was keyed. Anyone can
    /// recompute these, so they are only accepted up to the sequence where keying began (migrations/0004_audit_key.sql).
    case unkeyed = 1
    /// HMAC-SHA256 under the ``AuditKey`` of the version 2 encoding: every row written since.
    case keyed = 2
}
