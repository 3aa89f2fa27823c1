import Scanning

/// Why medvault refuses to start with the antivirus it was given.
package enum AntivirusStartupError: Error, CustomStringConvertible {
    /// clamd did not answer before `MEDVAULT_CLAMD_START_TIMEOUT` ran out.
    case unreachable(ClamdAddress, ScanError)
    /// clamd answered but would not scan the largest accepted file whole, or could not scan the probe.
    case coverage(ClamdAddress, ScanCoverageError)

    package var description: String {
        switch self {
        case .unreachable(let address, let error):
            "MEDVAULT_CLAMD_URL is set but clamd at \(address) did not answer within MEDVAULT_CLAMD_START_TIMEOUT (\(error)); "
                + "uploads cannot be scanned, so medvault does not start"
        case .coverage(let address, let error):
            "clamd at \(address) cannot be relied on to scan every upload: \(error)"
        }
    }
}
