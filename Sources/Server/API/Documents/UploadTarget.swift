import Access
import Documents
import HTTPTypes

/// Where an uploaded file goes: the category and owning entity its key is built from, and who uploaded it. The form
/// fields of an upload request name it, and so does each row of an import manifest.
struct UploadTarget: Sendable {
    let category: FileCategory
    let entityType: EntityType
    let entityID: EntityID
    /// The uploading user's id, recorded as `uploaded_by`; nil for an imported file whose uploader is not known.
    let uploadedBy: String?
}

extension UploadTarget {
    /// Validates the raw `category`, `entityType` and `entityId` values as an upload does: each must be known, and the
    /// category must belong under the entity type. Throws the API's `invalid_category`, `invalid_entity_type` or the
    /// entity id's key-layout error.
    init(category rawCategory: String, entityType rawEntityType: String, entityID rawEntityID: String, uploadedBy: String?) throws {
        guard let category = FileCategory(rawValue: rawCategory) else {
            throw APIError.invalidCategory
        }
        guard let entityType = EntityType(rawValue: rawEntityType) else { throw APIError.invalidEntityType }
        guard category.entityTypes.contains(entityType) else {
            let valid = category.entityTypes.map(\.rawValue).joined(separator: ", ")
            throw APIError(.badRequest, code: "invalid_category", message: "Category \(category.rawValue) belongs under entityType: \(valid).")
        }
        self.category = category
        self.entityType = entityType
        self.entityID = try EntityID(validating: rawEntityID)
        self.uploadedBy = uploadedBy
    }
}

extension UploadTarget {
    /// Whose the new document will be, as the access policy judges an upload: the entity, and the category's folder
    /// (an appointment's chat takes uploads from its participants only).
    var owner: DocumentOwner {
        DocumentOwner(entityType: entityType, entityID: entityID, folder: category.folder)
    }
}
