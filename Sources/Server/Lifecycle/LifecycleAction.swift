import Foundation

/// What a lifecycle rule does to one document: the key it acts on and which rule applies.
package struct LifecycleAction: Sendable, Equatable {
    /// Which rule, named as its audit action is (`lifecycle.expire`, `lifecycle.transition`, `lifecycle.erase`).
    package enum Kind: Sendable, Equatable {
        /// A `temp/` upload past `MEDVAULT_TEMP_RETENTION_DAYS`: its row and object are removed.
        case expire
        /// An active document past `MEDVAULT_ARCHIVE_AFTER_DAYS`: moved to this storage class.
        case transition(storageClass: String)
        /// An archived document past `MEDVAULT_ARCHIVED_RETENTION_DAYS`: its row and object are removed.
        case erase
    }

    package var kind: Kind
    package var documentID: UUID
    package var key: String

    package init(_ kind: Kind, documentID: UUID, key: String) {
        self.kind = kind
        self.documentID = documentID
        self.key = key
    }

    /// The storage class a transition moves the document to; nil for the other rules.
    package var storageClass: String? {
        if case .transition(let storageClass) = kind { return storageClass }
        return nil
    }

    /// The rule's name as `medvault lifecycle run` prints it and the audit trail records it.
    package var name: String {
        switch kind {
        case .expire: "lifecycle.expire"
        case .transition: "lifecycle.transition"
        case .erase: "lifecycle.erase"
        }
    }
}
