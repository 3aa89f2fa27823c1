import Scanning

/// How medvault reaches clamd (`MEDVAULT_CLAMD_URL` and its deadlines); nil in the configuration means uploads are
/// not scanned.
package struct AntivirusSettings: Sendable {
    /// `MEDVAULT_CLAMD_URL`: `unix:///run/clamav/clamd.ctl` or `tcp://127.0.0.1:3310`.
    package var address: ClamdAddress
    /// `MEDVAULT_CLAMD_TIMEOUT` (seconds): how long clamd may take to accept the next bytes of an upload or, once the
    /// upload has ended, to give its verdict.
    package var timeout: Double
    /// `MEDVAULT_CLAMD_START_TIMEOUT` (seconds): how long start-up waits for clamd to answer (it loads its signatures
    /// first, which takes a minute with the official databases) before medvault refuses to start.
    package var startTimeout: Double

    package static let defaultTimeout: Double = 60
    package static let defaultStartTimeout: Double = 120
}
