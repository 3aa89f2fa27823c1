import NIOCore

/// The start-up proof that clamd scans every byte of the largest file medvault accepts, rather than trusting
/// clamd.conf to say so.
///
/// clamd skips a whole file larger than its `MaxFileSize` or `MaxScanSize` and reports it clean (libclamav's
/// `cli_checklimits`, and `AlertExceedsMax` is off by default), and it refuses a stream longer than its
/// `StreamMaxLength`. The probe is a stream of exactly the largest size: zeros, ending in a ZIP archive that holds the
/// EICAR test file, which clamd's official and test databases both detect. If clamd reports the test file, it read
/// and scanned to the last byte; if it reports the probe clean, it would have passed a file of that size unscanned.
package enum ScanCoverage {
    /// The size of the zero-filled buffer the probe is streamed from.
    private static let paddingChunkBytes = 1 << 20

    /// The probe's bytes, `byteCount` in all (at least the archive's own size), as a few reusable buffers.
    static func probe(byteCount: Int) -> [ByteBuffer] {
        let archive = ByteBuffer(bytes: EICARTestFile.zipArchive)
        var padding = max(0, byteCount - archive.readableBytes)
        let zeros = ByteBuffer(repeating: 0, count: min(padding, paddingChunkBytes))
        var chunks: [ByteBuffer] = []
        while padding > 0 {
            let count = min(padding, zeros.readableBytes)
            chunks.append(zeros.getSlice(at: zeros.readerIndex, length: count) ?? zeros)
            padding -= count
        }
        return chunks + [archive]
    }
}

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

/// Why clamd cannot be relied on to scan every file medvault accepts.
package enum ScanCoverageError: Error, CustomStringConvertible {
    /// clamd refused a stream of `byteCount` bytes: its `StreamMaxLength` is lower.
    case streamTooLong(byteCount: Int)
    /// clamd did not scan a file of `byteCount` bytes to its end: its `MaxFileSize` or `MaxScanSize` is lower.
    case stopsShort(byteCount: Int)
    /// The probe could not be scanned at all (clamd down, a timeout, an error).
    case unscanned(ScanError)

    package var description: String {
        switch self {
        case .streamTooLong(let byteCount):
            "clamd refused a \(byteCount)-byte test stream: set StreamMaxLength to at least \(Self.megabytes(byteCount)) in clamd.conf"
        case .stopsShort(let byteCount):
            "clamd did not scan a \(byteCount)-byte test file to its end (it reported the EICAR test file at its end as clean): "
                + "set MaxFileSize to at least \(Self.megabytes(byteCount)) and MaxScanSize to at least "
                + "\(Self.megabytes(2 * byteCount)) in clamd.conf"
        case .unscanned(let error):
            "clamd could not scan a test file: \(error)"
        }
    }

    /// A clamd.conf size (`M` is MiB there) no smaller than `byteCount`.
    private static func megabytes(_ byteCount: Int) -> String {
        "\((byteCount + (1 << 20) - 1) >> 20)M"
    }
}
