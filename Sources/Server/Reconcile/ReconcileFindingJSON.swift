import Documents
import Foundation

/// One finding as the reconcile report's JSON spells it; the same shape for `medvault reconcile --json`.
///
/// `kind` is `orphan` (an object without a row), `missing` (a row without an object) or `size_mismatch`; sizes are
/// bytes, `lastModified` (orphans only) is ISO 8601. With `--fix`, `fix` says what became of it: `fixed`,
/// `within_grace` (an orphan too young to delete) or `left` (a size mismatch, for a person to settle).
package struct ReconcileFindingJSON: Codable, Sendable, Equatable {
    package var kind: String
    package var key: String
    package var documentId: String?
    package var indexedSize: Int64?
    package var storedSize: Int64?
    package var lastModified: String?
    package var fix: String?

    /// The JSON form of `finding`.
    package init(_ finding: ReconcileFinding) {
        key = finding.key
        switch finding {
        case .orphan(let object):
            kind = "orphan"
            storedSize = object.size
            lastModified = object.lastModified.formatted(.iso8601)
        case .missingObject(_, let id, let size):
            kind = "missing"
            documentId = id
            indexedSize = size
        case .sizeMismatch(_, let id, let indexed, let stored):
            kind = "size_mismatch"
            documentId = id
            indexedSize = indexed
            storedSize = stored
        }
    }

    /// The name `fix` gives `outcome`.
    package static func fixName(_ outcome: ReconcileRepair.Outcome) -> String {
        switch outcome {
        case .fixed: "fixed"
        case .withinGrace: "within_grace"
        case .reportedOnly: "left"
        }
    }

    /// One line for the plain-text report: the kind, the key, and the sizes that disagree.
    package var summaryLine: String {
        var line = "\(kind) \(key)"
        if let indexedSize { line += " indexed=\(indexedSize)" }
        if let storedSize { line += " stored=\(storedSize)" }
        if let fix { line += " fix=\(fix)" }
        return line
    }
}
