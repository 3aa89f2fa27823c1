import Documents
import Foundation

/// One finding as the reconcile report's JSON spells it; the same shape for `medvault reconcile --json`.
///
/// `kind` is `orphan` (an object without a row), `missing` (a row without an object) or `size_mismatch`; sizes are
/// bytes, `lastModified` (orphans only) is ISO 8601.
package struct ReconcileFindingJSON: Codable, Sendable, Equatable {
    package var kind: String
    package var key: String
    package var documentId: String?
    package var indexedSize: Int64?
    package var storedSize: Int64?
    package var lastModified: String?

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

    /// One line for the plain-text report: the kind, the key, and the sizes that disagree.
    package var summaryLine: String {
        var line = "\(kind) \(key)"
        if let indexedSize { line += " indexed=\(indexedSize)" }
        if let storedSize { line += " stored=\(storedSize)" }
        return line
    }
}
