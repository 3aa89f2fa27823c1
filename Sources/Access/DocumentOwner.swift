import Documents
import Foundation

/// Whose a document is, as the policy judges it: the entity it belongs to and who uploaded it when.
///
/// Built from the stored index row when there is one, otherwise from a parsed ``DocumentKey`` (never from a
/// string prefix of user input), or from the form fields of an upload.
package struct DocumentOwner: Sendable, Equatable {
    /// The entity type the document belongs to.
    package let entityType: EntityType
    /// The entity it belongs to.
    package let entityID: EntityID
    /// The user id of the uploader, when known (stored rows).
    package let uploadedBy: String?
    /// When it was uploaded, when known (stored rows).
    package let uploadedAt: Date?
    /// Whether it is archived (soft-deleted) or a temporary upload, which only administrators may touch.
    package let isRetired: Bool
    /// The folder it sits in under its entity (a ``FileCategory/folder``), when known: the media folders
    /// (`therapy-media`, `profile`, `verification`, `chat`) have access rules of their own. `nil` (a listing of a
    /// whole entity) gets the entity's rules.
    package let folder: String?

    /// An owner from known fields.
    package init(
        entityType: EntityType,
        entityID: EntityID,
        uploadedBy: String? = nil,
        uploadedAt: Date? = nil,
        isRetired: Bool = false,
        folder: String? = nil
    ) {
        self.entityType = entityType
        self.entityID = entityID
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
        self.isRetired = isRetired
        self.folder = folder
    }

    /// The owner a key's place in the layout implies: its entity, or for `archived/` keys the original's
    /// entity marked retired. `temp/` keys have no entity and yield nil (administrators only).
    package init?(key: DocumentKey) {
        switch key.location {
        case .entity(let type, let id, let folder):
            self.init(entityType: type, entityID: id, folder: folder)
        case .archived(let original):
            guard case .entity(let type, let id, let folder) = original.location else { return nil }
            self.init(entityType: type, entityID: id, isRetired: true, folder: folder)
        case .temp:
            return nil
        }
    }

    /// The same owner as if `principal` had uploaded the document at `now`: how a key with no document is
    /// judged, so that the caller is refused (403) only where they could not act even on their own fresh
    /// upload, and otherwise learns it is missing (404) — an answer that reveals nothing they may not see.
    package func uploaded(by principal: Principal, at now: Date) -> DocumentOwner {
        DocumentOwner(entityType: entityType, entityID: entityID, uploadedBy: principal.userID, uploadedAt: now, isRetired: isRetired, folder: folder)
    }
}
