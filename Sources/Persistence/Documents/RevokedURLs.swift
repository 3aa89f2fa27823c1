import Foundation

/// The outcome of revoking a document's URLs: the row as it now is, and the earliest signing time still accepted.
package struct RevokedURLs: Sendable, Equatable {
    package let document: DocumentRecord
    /// Whole seconds; URLs signed before it are refused.
    package let notBefore: Date

    package init(document: DocumentRecord, notBefore: Date) {
        self.document = document
        self.notBefore = notBefore
    }
}
