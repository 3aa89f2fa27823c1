import Crypto

extension AuditKey {
    /// A value that tells keys apart without revealing them: lowercase hex of HMAC-SHA256 under the key of a fixed
    /// label. Nodes sharing one database compare it at start-up, so a node with another key (a forgotten
    /// `MEDVAULT_AUDIT_KEY`) is refused instead of writing rows no other node can verify.
    package var fingerprint: String {
        let code = HMAC<SHA256>.authenticationCode(for: Array("medvault.audit.key-fingerprint".utf8), using: symmetricKey)
        return code.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }
}
