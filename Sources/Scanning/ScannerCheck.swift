import NIOCore

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

extension ClamdScanner {
    /// Pings clamd, asks for its version and scans the EICAR test file; never throws, the outcome is in the result.
    package func check() async -> ScannerCheck {
        do {
            try await ping()
        } catch {
            return ScannerCheck(reachable: false, version: nil, testFileRefused: false, testSignature: nil, problem: error)
        }
        let version: ClamdVersion
        do {
            version = try await self.version()
        } catch {
            return ScannerCheck(reachable: true, version: nil, testFileRefused: false, testSignature: nil, problem: error)
        }
        do {
            switch try await scan([ByteBuffer(bytes: EICARTestFile.bytes)]) {
            case .infected(let signature):
                return ScannerCheck(reachable: true, version: version, testFileRefused: true, testSignature: signature, problem: nil)
            case .clean:
                return ScannerCheck(reachable: true, version: version, testFileRefused: false, testSignature: nil, problem: nil)
            }
        } catch {
            return ScannerCheck(reachable: true, version: version, testFileRefused: false, testSignature: nil, problem: error)
        }
    }
}
