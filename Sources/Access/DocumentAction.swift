/// What a caller wants to do with a document, as the access policy distinguishes it.
package enum DocumentAction: Sendable, Equatable {
    /// Store a new document for an entity.
    case upload
    /// Stream its bytes or get a pre-signed URL for them (which grants the same).
    case read
    /// List documents (file names are PHI too).
    case list
    /// Soft delete into `archived/`.
    case archive
    /// Remove for good; administrators only.
    case permanentDelete
    /// Make every pre-signed URL issued so far stop working; administrators, and a patient for their own documents.
    case revoke
}
