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
