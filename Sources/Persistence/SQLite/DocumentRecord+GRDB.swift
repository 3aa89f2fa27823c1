import Audit
import Documents
import Foundation
import GRDB

/// How the SQLite engine reads and writes documents: a GRDB record of the `documents` table.
extension DocumentRecord: MedvaultRecord {
    /// Reads a row of `documents` by position: the columns of ``selectionSQL``, in that order.
    ///
    /// Written out rather than derived from `Decodable`: listing decodes up to 1,001 rows per request, and the
    /// generic decoder cost more than the query itself; reading by position spares the name lookup of each of the
    /// 19 columns. Unknown enum values throw, as decoding would.
    package init(row: Row) throws {
        assert(row.columnNames.elementsEqual(Self.columnOrder.map(\.name)), "documents must be selected with DocumentRecord.selectionSQL")
        let idText: String = try row.decode(atIndex: 0)
        let categoryName: String = try row.decode(atIndex: 6)
        let entityTypeName: String = try row.decode(atIndex: 7)
        let statusName: String = try row.decode(atIndex: 13)
        guard let id = UUID(parsing: idText), let category = FileCategory(rawValue: categoryName),
            let entityType = EntityType(rawValue: entityTypeName), let status = DocumentStatus(rawValue: statusName)
        else {
            throw PersistenceError.database.with(cause: "document row with an id, category, entity type or status this version cannot read")
        }
        let uploadedAt: Int64 = try row.decode(atIndex: 11)
        let archivedAt: Int64? = try row.decode(atIndex: 15)
        let heldAt: Int64? = try row.decode(atIndex: 17)
        self.id = id
        self.key = try row.decode(atIndex: 1)
        self.fileName = try row.decode(atIndex: 2)
        self.searchName = try row.decode(atIndex: 3)
        self.size = try row.decode(atIndex: 4)
        self.contentType = try row.decode(atIndex: 5)
        self.category = category
        self.entityType = entityType
        self.entityID = try row.decode(atIndex: 8)
        self.sha256 = try row.decode(atIndex: 9)
        self.etag = try row.decode(atIndex: 10)
        self.uploadedAt = Date(millisecondsSince1970: uploadedAt)
        self.uploadedBy = try row.decode(atIndex: 12)
        self.status = status
        self.originalKey = try row.decode(atIndex: 14)
        self.archivedAt = archivedAt.map { Date(millisecondsSince1970: $0) }
        self.holdReason = try row.decode(atIndex: 16)
        self.heldAt = heldAt.map { Date(millisecondsSince1970: $0) }
        self.heldBy = try row.decode(atIndex: 18)
    }

    /// The columns in the order ``init(row:)`` reads them. Every query that fetches documents selects exactly
    /// these: raw SQL through ``selectionSQL``, the query interface through ``databaseSelection``.
    static let columnOrder: [Column] = [
        Columns.id, Columns.key, Columns.fileName, Columns.searchName, Columns.size, Columns.contentType, Columns.category,
        Columns.entityType, Columns.entityID, Columns.sha256, Columns.etag, Columns.uploadedAt, Columns.uploadedBy,
        Columns.status, Columns.originalKey, Columns.archivedAt, Columns.holdReason, Columns.heldAt, Columns.heldBy,
    ]

    /// ``columnOrder`` as the result columns of a `SELECT`.
    package static let selectionSQL = columnOrder.map(\.name).joined(separator: ", ")

    /// What the query interface selects for this record: ``columnOrder``.
    package static var databaseSelection: [any SQLSelectable] { columnOrder }

    /// The table's name, as in the migration.
    package static let databaseTableName = "documents"

    /// Column names for the query interface, matching migrations/0001_initial.sql.
    package enum Columns {
        /// `id`: lowercase UUID text, primary key.
        package static let id = Column(CodingKeys.id)
        /// `key`: unique object key.
        package static let key = Column(CodingKeys.key)
        /// `file_name`.
        package static let fileName = Column(CodingKeys.fileName)
        /// `search_name`: see ``DocumentRecord/searchName(for:)``.
        package static let searchName = Column(CodingKeys.searchName)
        /// `size` in bytes.
        package static let size = Column(CodingKeys.size)
        /// `content_type`.
        package static let contentType = Column(CodingKeys.contentType)
        /// `category`: a ``FileCategory`` raw value.
        package static let category = Column(CodingKeys.category)
        /// `entity_type`: an ``EntityType`` raw value.
        package static let entityType = Column(CodingKeys.entityType)
        /// `entity_id`.
        package static let entityID = Column(CodingKeys.entityID)
        /// `sha256`: lowercase hex.
        package static let sha256 = Column(CodingKeys.sha256)
        /// `etag`.
        package static let etag = Column(CodingKeys.etag)
        /// `uploaded_at`: milliseconds since 1970.
        package static let uploadedAt = Column(CodingKeys.uploadedAt)
        /// `uploaded_by`.
        package static let uploadedBy = Column(CodingKeys.uploadedBy)
        /// `status`: a ``DocumentStatus`` raw value.
        package static let status = Column(CodingKeys.status)
        /// `original_key`.
        package static let originalKey = Column(CodingKeys.originalKey)
        /// `archived_at`: milliseconds since 1970.
        package static let archivedAt = Column(CodingKeys.archivedAt)
        /// `hold_reason`: set while the document is under legal hold (migrations/sqlite/0009_legal_hold.sql).
        package static let holdReason = Column(CodingKeys.holdReason)
        /// `held_at`: milliseconds since 1970.
        package static let heldAt = Column(CodingKeys.heldAt)
        /// `held_by`: the user id of who placed the hold.
        package static let heldBy = Column(CodingKeys.heldBy)
    }
}
