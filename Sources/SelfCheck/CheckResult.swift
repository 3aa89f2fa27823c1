import Foundation

/// The outcome of one self-check step, as the `/test/s3` page and `medvault selftest` show it.
///
/// - important: ``detail`` is shown to people and written to the terminal: it never carries a secret (no access
///   key, no signature, no pre-signed URL, no master key), only names, sizes, hosts and what went wrong.
package struct CheckResult: Sendable, Equatable {
    /// How a check ended.
    package enum Status: String, Sendable {
        /// The check proved what it checks.
        case pass
        /// The check found a problem; `medvault selftest` exits 1.
        case fail
        /// The check could not run because an earlier one failed (no storage, no round trip).
        case skip
    }

    /// A stable identifier for scripts and the page's `data-name`, e.g. `round-trip`.
    package let id: String
    /// The check's name for people, e.g. `round trip`.
    package let name: String
    package let status: Status
    /// How long the check took, from its start to its verdict.
    package let duration: Duration
    /// What was proved, or what went wrong; never a secret.
    package let detail: String

    /// Bundles a finished check.
    package init(id: String, name: String, status: Status, duration: Duration, detail: String) {
        self.id = id
        self.name = name
        self.status = status
        self.duration = duration
        self.detail = detail
    }

    /// The duration for people: `850 µs`, `12 ms`, `2.0 s`.
    package var formattedDuration: String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        if milliseconds < 1 { return "\(Int((milliseconds * 1000).rounded())) µs" }
        if milliseconds < 1000 { return "\(Int(milliseconds.rounded())) ms" }
        return String(format: "%.1f s", milliseconds / 1000)
    }
}
