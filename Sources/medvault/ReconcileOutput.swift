import Documents
import Foundation
import Server

/// Prints the reconcile report as it is found: one line per finding and a summary, or one JSON document written in
/// pieces (`{"findings":[` … `],"summary":{…}}`), so no finding has to be kept until the end.
final class ReconcileOutput {
    private let json: Bool
    private let encoder = JSONEncoder()
    private var first = true

    init(json: Bool) {
        self.json = json
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// Opens the JSON document; nothing in text mode.
    func begin() {
        if json { emit(#"{"findings":["#) }
    }

    /// Prints one finding.
    func write(_ finding: ReconcileFinding) throws {
        let line = ReconcileFindingJSON(finding)
        if json {
            emit((first ? "" : ",") + String(decoding: try encoder.encode(line), as: UTF8.self))
            first = false
        } else {
            print(line.summaryLine)
        }
    }

    /// Prints the counts and closes the JSON document.
    func end(_ tally: ReconcileTally) throws {
        if json {
            emit(#"],"summary":"# + String(decoding: try encoder.encode(tally), as: UTF8.self) + "}\n")
        } else {
            print(tally.summary)
        }
    }

    private func emit(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
