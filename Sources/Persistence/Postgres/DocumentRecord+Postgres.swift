import Audit
import Documents
import Foundation
import PostgresNIO

extension DocumentRecord {
    /// The columns every PostgreSQL query that fetches documents selects, in the order ``init(postgresRow:)``
    /// reads them.
    static let postgresColumns = """
        id, key, file_name, search_name, size, content_type, category, entity_type, entity_id, sha256, etag, \
        uploaded_at, uploaded_by, status, original_key, archived_at, hold_reason, held_at, held_by
        """

    /// Reads a row selected with ``postgresColumns``; unknown enum values throw, as on SQLite.
    init(postgresRow row: PostgresRow) throws {
        let (
            idText, key, fileName, searchName, size, contentType, categoryName, entityTypeName, entityID, sha256, etag, uploadedAt,
            uploadedBy, statusName, originalKey, archivedAt, holdReason, heldAt, heldBy
        ) = try row.decode(
            (
                String, String, String, String, Int64, String, String, String, String, String, String, Int64, String?, String, String?,
                Int64?, String?, Int64?, String?
            ).self
        )
        guard let id = UUID(parsing: idText), let category = FileCategory(rawValue: categoryName),
            let entityType = EntityType(rawValue: entityTypeName), let status = DocumentStatus(rawValue: statusName)
        else {
            throw PersistenceError.database.with(cause: "document row with an id, category, entity type or status this version cannot read")
        }
        self.init(
            id: id,
            key: key,
            fileName: fileName,
            searchName: searchName,
            size: size,
            contentType: contentType,
            category: category,
            entityType: entityType,
            entityID: entityID,
            sha256: sha256,
            etag: etag,
            uploadedAt: Date(millisecondsSince1970: uploadedAt),
            uploadedBy: uploadedBy,
            status: status,
            originalKey: originalKey,
            archivedAt: archivedAt.map { Date(millisecondsSince1970: $0) },
            holdReason: holdReason,
            heldAt: heldAt.map { Date(millisecondsSince1970: $0) },
            heldBy: heldBy
        )
    }
}
