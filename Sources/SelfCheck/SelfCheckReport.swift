import Foundation

/// Every check of one self-check run, in order, with the summary the page and the command print.
package struct SelfCheckReport: Sendable {
    /// The checks in the order they ran.
    package let results: [CheckResult]
    /// When the run started.
    package let startedAt: Date
    /// The store's summary (backend, location, encryption), or why there is no store.
    package let backend: String

    /// How many checks failed.
    package var failedCount: Int { results.count { $0.status == .fail } }
    /// How many checks were skipped.
    package var skippedCount: Int { results.count { $0.status == .skip } }
    /// Whether every check passed; `medvault selftest` exits 0 only then.
    package var passed: Bool { failedCount == 0 && skippedCount == 0 }

    /// "All 11 checks passed", or "2 of 11 checks failed (tampered URL, cleanup)", plus the skipped count.
    package var summary: String {
        if passed { return "All \(results.count) checks passed" }
        var text =
            failedCount == 0
            ? "No check failed"
            : "\(failedCount) of \(results.count) checks failed (\(results.filter { $0.status == .fail }.map(\.name).joined(separator: ", ")))"
        if skippedCount > 0 { text += "; \(skippedCount) skipped" }
        return text
    }

    /// The audit row's detail: "11 checks, 0 failed", plus the skipped count when there is one.
    package var auditDetail: String {
        "\(results.count) checks, \(failedCount) failed" + (skippedCount > 0 ? ", \(skippedCount) skipped" : "")
    }
}
