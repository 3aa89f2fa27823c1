import NIOCore

extension ClamdScanner {
    /// Streams the probe of ``ScanCoverage`` at `byteCount` bytes and checks that clamd finds the test file at its end.
    /// Throws ``ScanCoverageError`` naming the clamd.conf settings to raise when clamd would not scan a file of that
    /// size whole, or the ``ScanError`` that kept the probe from being scanned.
    package func verifyCoverage(upTo byteCount: Int) async throws(ScanCoverageError) {
        let verdict: ScanVerdict
        do {
            verdict = try await scan(ScanCoverage.probe(byteCount: byteCount))
        } catch {
            switch error.base {
            case .streamTooLong: throw .streamTooLong(byteCount: byteCount)
            case .scanLimitExceeded: throw .stopsShort(byteCount: byteCount)
            default: throw .unscanned(error)
            }
        }
        guard case .infected = verdict else { throw .stopsShort(byteCount: byteCount) }
    }
}
