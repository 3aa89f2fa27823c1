/// What a health check of clamd found: whether it answers, which engine and signatures it runs, and whether it
/// really refuses the EICAR test file, scanned from memory and never stored. `/config`, `/test/s3` and
/// `medvault selftest` show it.
package struct ScannerCheck: Sendable, Hashable {
    /// clamd answered `PING`.
    package let reachable: Bool
    /// clamd's answer to `VERSION`, when it gave one.
    package let version: ClamdVersion?
    /// clamd reported the EICAR test file as infected.
    package let testFileRefused: Bool
    /// The signature clamd named for the test file (a test signature, so safe to show).
    package let testSignature: String?
    /// The first thing that went wrong, if anything did.
    package let problem: ScanError?

    /// Whether everything the check asks for holds.
    package var passed: Bool { reachable && version != nil && testFileRefused }
}
