import NIOCore

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
