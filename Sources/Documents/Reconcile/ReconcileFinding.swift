import Foundation

/// One disagreement between the store and the index, found by ``ReconcileMerge``.
package enum ReconcileFinding: Sendable, Equatable {
    /// An object no row knows of (a crash between the object's write and its row's commit, or a write behind
    /// medvault's back).
    case orphan(StoredObjectEntry)
    /// A document row whose object is gone.
    case missingObject(key: String, documentID: String, indexedSize: Int64)
    /// A document row and its object that disagree about the size.
    case sizeMismatch(key: String, documentID: String, indexedSize: Int64, storedSize: Int64)

    /// The key the finding is about.
    package var key: String {
        switch self {
        case .orphan(let object): object.key
        case .missingObject(let key, _, _), .sizeMismatch(let key, _, _, _): key
        }
    }
}
