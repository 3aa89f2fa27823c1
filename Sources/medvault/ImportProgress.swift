import Foundation
import Server

/// How `medvault import` shows its progress on standard output: a bar redrawn in place when that is a terminal, one
/// plain line per row otherwise (a log file, CI), and a summary of the counts at the end.
///
/// - important: lines name the manifest's line number and the outcome's status and code only, never a source, a
///   file name or a patient id: those go to the report and the audit trail.
final class ImportProgress {
    private let total: Int
    private let isTerminal = isatty(STDOUT_FILENO) == 1
    private var done = 0
    private var counts: [ImportOutcome.Status: Int] = [:]

    init(total: Int) {
        self.total = total
    }

    /// Notes one row's outcome.
    func record(_ outcome: ImportOutcome) {
        done += 1
        counts[outcome.status, default: 0] += 1
        if isTerminal {
            let width = 30
            let filled = total == 0 ? width : width * done / total
            emit("\r[\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(done)/\(total)")
        } else {
            emit("line \(outcome.row.line): \(outcome.status.rawValue)\(outcome.code.map { " \($0)" } ?? "")\n")
        }
    }

    /// Ends the bar and prints the counts.
    func end() {
        if isTerminal && done > 0 { emit("\n") }
        let summary = [ImportOutcome.Status.imported, .skipped, .wouldImport, .wouldSkip, .refused]
            .compactMap { status in counts[status].map { "\(status.rawValue) \($0)" } }
        emit("import: \(done) of \(total) rows; \(summary.isEmpty ? "nothing to do" : summary.joined(separator: ", "))\n")
    }

    private func emit(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
