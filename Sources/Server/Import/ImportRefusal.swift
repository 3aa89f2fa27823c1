/// Why one manifest row was not imported: a stable code for the report and the audit row (the upload API's own codes
/// for what an upload would be refused for, plus the import's: `source_not_found`, `source_unreadable`,
/// `invalid_source`, `unknown_user`, `invalid_uploaded_at`), and a message without the row's values.
package struct ImportRefusal: Error, Sendable, Equatable {
    package let code: String
    package let message: String

    /// Nothing exists at the row's source (no such file, no such object).
    static let sourceNotFound = ImportRefusal(code: "source_not_found", message: "nothing exists at the source")
    /// The source exists but cannot be read (a directory, no permission, a failed S3 read).
    static let sourceUnreadable = ImportRefusal(code: "source_unreadable", message: "the source cannot be read")
    /// The source is empty, or an `s3://` address without a bucket or a key.
    static let invalidSource = ImportRefusal(code: "invalid_source", message: "the source is not a path or s3://bucket/key")
    /// `uploadedBy` names no user.
    static let unknownUser = ImportRefusal(code: "unknown_user", message: "uploadedBy names no user (give an e-mail address or a user id)")
    /// `uploadedAt` is not an RFC 3339 date-time.
    static let invalidUploadedAt = ImportRefusal(
        code: "invalid_uploaded_at",
        message: "uploadedAt is not an ISO 8601 date-time such as 2024-05-01T09:30:00Z"
    )
}
