import Audit
import Documents
import Foundation

extension UploadSessionRecord {
    /// The stored values of the enum and instant columns, shared by both engines' readers.
    struct StoredFields {
        var id: String
        var state: String
        var category: String
        var entityType: String
        var createdAt: Int64
        var expiresAt: Int64
    }

    /// Rebuilds a record from the text and number columns both engines read; unknown enum values throw, so a row
    /// written by a newer version is never misread.
    init(
        stored: StoredFields,
        stagingKey: String,
        documentKey: String,
        fileName: String,
        size: Int64,
        sha256: String?,
        entityID: String,
        partSize: Int64,
        partCount: Int,
        multipartUploadID: String?,
        createdBy: String,
        rejectionCode: String?
    ) throws(PersistenceError) {
        guard let id = UUID(parsing: stored.id), let state = UploadSessionState(rawValue: stored.state),
            let category = FileCategory(rawValue: stored.category), let entityType = EntityType(rawValue: stored.entityType)
        else {
            throw PersistenceError.database.with(cause: "upload session row with an id, state, category or entity type this version cannot read")
        }
        self.init(
            id: id,
            state: state,
            stagingKey: stagingKey,
            documentKey: documentKey,
            fileName: fileName,
            size: size,
            sha256: sha256,
            category: category,
            entityType: entityType,
            entityID: entityID,
            partSize: partSize,
            partCount: partCount,
            multipartUploadID: multipartUploadID,
            createdBy: createdBy,
            createdAt: Date(millisecondsSince1970: stored.createdAt),
            expiresAt: Date(millisecondsSince1970: stored.expiresAt),
            rejectionCode: rejectionCode
        )
    }
}
