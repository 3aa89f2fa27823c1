/// Why an export stopped part-way: a document's stored bytes could not be read, or were not what the index says.
///
/// Either way the archive is cut short rather than finished without the document: a download that breaks is noticed,
/// an archive that quietly lacks a file is not. The message names the document by id (an opaque UUID, never its
/// name or its patient), so that an operator can find it (`medvault reconcile`).
package struct ExportError: Error, Sendable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case unreadable = "object_unreadable"
        case integrity = "object_integrity"
    }

    private let errorCode: Code
    /// The document whose object failed.
    package let documentID: String
    /// The cause, for the log (a `StorageError`, a ZIP size mismatch).
    package let underlying: (any Error)?

    /// A stable machine-readable code.
    package var code: String { errorCode.rawValue }

    package var description: String {
        switch errorCode {
        case .unreadable: "the object of document \(documentID) could not be read"
        case .integrity: "the object of document \(documentID) does not match its size or SHA-256 in the index"
        }
    }

    /// The store could not give the object's bytes (gone, unreachable, damaged).
    static func unreadable(_ documentID: String, _ underlying: any Error) -> Self {
        Self(errorCode: .unreadable, documentID: documentID, underlying: underlying)
    }

    /// The bytes streamed were not the indexed size or SHA-256.
    static func integrity(_ documentID: String, _ underlying: (any Error)? = nil) -> Self {
        Self(errorCode: .integrity, documentID: documentID, underlying: underlying)
    }
}
