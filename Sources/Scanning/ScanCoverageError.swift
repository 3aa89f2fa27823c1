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
