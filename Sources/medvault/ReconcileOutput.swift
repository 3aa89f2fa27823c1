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

    /// Prints one finding, with what `--fix` made of it when fixing.
    func write(_ finding: ReconcileFinding, outcome: ReconcileRepair.Outcome? = nil) throws {
        var line = ReconcileFindingJSON(finding)
        line.fix = outcome.map(ReconcileFindingJSON.fixName)
        if json {
            emit((first ? "" : ",") + String(decoding: try encoder.encode(line), as: UTF8.self))
            first = false
        } else {
            print(line.summaryLine)
        }
    }

    /// Prints the counts (and what `--fix` did, when it ran) and closes the JSON document.
    func end(_ tally: ReconcileTally, fixes: ReconcileFixTally?) throws {
        if json {
            var tail = #"],"summary":"# + String(decoding: try encoder.encode(tally), as: UTF8.self)
            if let fixes { tail += #","fixes":"# + String(decoding: try encoder.encode(fixes), as: UTF8.self) }
            emit(tail + "}\n")
        } else {
            print(tally.summary)
            if let fixes { print(fixes.summary) }
        }
    }

    private func emit(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
