import Audit
import Documents
import Foundation

/// One row of `upload_sessions`: an upload whose bytes go straight to storage through pre-signed URLs, recorded
/// before anything is signed (migration `0008_upload_sessions`).
///
/// The bytes land under ``stagingKey`` (`quarantine/{id}`), which nothing serves; only a verified session's object
/// moves to ``documentKey`` and gets a document row, whose id is the session's id. Instants are stored as integer
/// milliseconds since 1970 (UTC).
/// - important: ``fileName`` and ``entityID`` may carry patient data: never log a record.
package struct UploadSessionRecord: Sendable, Equatable {
    /// The session's id (the API's `uploadId`); also the id of the document it becomes.
    package var id: UUID
    package var state: UploadSessionState
    /// Where the client's bytes land: `quarantine/{id}`.
    package var stagingKey: String
    /// The key the object moves to once verified.
    package var documentKey: String
    /// The sanitised file name, whose extension the content must agree with.
    package var fileName: String
    /// The size the client declared, which the URLs sign and verification checks.
    package var size: Int64
    /// The SHA-256 the client declared (lowercase hex), if any.
    package var sha256: String?
    package var category: FileCategory
    package var entityType: EntityType
    package var entityID: String
    /// Bytes per part; the last part holds the rest.
    package var partSize: Int64
    /// How many parts: 1 for a plain PutObject.
    package var partCount: Int
    /// The storage's multipart upload id, when ``partCount`` is above 1.
    package var multipartUploadID: String?
    /// The uploading user's id: only they (or an admin) may see the session.
    package var createdBy: String
    package var createdAt: Date
    /// When the session's URLs stop working and the sweep may remove what it staged.
    package var expiresAt: Date
    /// The error code a rejected session was refused with.
    package var rejectionCode: String?

    /// Creates a session row; instants are rounded to the millisecond, as they are stored.
    package init(
        id: UUID,
        state: UploadSessionState = .pending,
        stagingKey: String,
        documentKey: String,
        fileName: String,
        size: Int64,
        sha256: String?,
        category: FileCategory,
        entityType: EntityType,
        entityID: String,
        partSize: Int64,
        partCount: Int,
        multipartUploadID: String? = nil,
        createdBy: String,
        createdAt: Date,
        expiresAt: Date,
        rejectionCode: String? = nil
    ) {
        self.id = id
        self.state = state
        self.stagingKey = stagingKey
        self.documentKey = documentKey
        self.fileName = fileName
        self.size = size
        self.sha256 = sha256
        self.category = category
        self.entityType = entityType
        self.entityID = entityID
        self.partSize = partSize
        self.partCount = partCount
        self.multipartUploadID = multipartUploadID
        self.createdBy = createdBy
        self.createdAt = createdAt.roundedToMilliseconds
        self.expiresAt = expiresAt.roundedToMilliseconds
        self.rejectionCode = rejectionCode
    }

    /// The columns in the order both engines select and insert them.
    static let columns = [
        "id", "state", "staging_key", "document_key", "file_name", "size", "sha256", "category", "entity_type", "entity_id",
        "part_size", "part_count", "multipart_upload_id", "created_by", "created_at", "expires_at", "rejection_code",
    ]

    /// ``columns`` as a select list.
    static var columnList: String { columns.joined(separator: ", ") }
}
