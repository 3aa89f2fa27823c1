import Audit
import Documents
import Foundation
import GRDB

/// One row of `documents`: where a stored object is, what it is, who it belongs to, and whether it is live.
///
/// This is the index that listing, search and statistics read, so they never need to list the bucket.
/// Instants are stored as integer milliseconds since 1970 (UTC), so they sort and read back equal to the
/// millisecond; the id is stored as lowercase UUID text. The schema (migrations/0001_initial.sql) enforces
/// the rules with CHECK constraints: positive size, one of the 9 categories and 4 entity types, a 64-digit
/// lowercase hex SHA-256, and archived rows carrying `originalKey` and `archivedAt`.
package struct DocumentRecord: MedvaultRecord, Sendable, Equatable {
    /// The document's id, part of its object name (`{uuid}-{name}`).
    package var id: UUID
    /// The object key in the store; unique.
    package var key: String
    /// The original file name as uploaded (sanitised by the upload policy); shown to users, never logged.
    package var fileName: String
    /// ``fileName`` prepared for case-insensitive search: always `searchName(for: fileName)`;
    /// ``AppDatabase/insertDocuments(_:audit:)`` stores that derived value whatever this property holds.
    package var searchName: String
    /// The size in bytes; always positive.
    package var size: Int64
    /// The media type sniffed from the bytes (not the client's claim).
    package var contentType: String
    /// The document's category, which decides its folder.
    package var category: FileCategory
    /// The kind of entity the document belongs to.
    package var entityType: EntityType
    /// The id of that entity (a patient id, a provider id, ...).
    package var entityID: String
    /// Lowercase hex SHA-256 of the bytes, for integrity checks and deduplication.
    package var sha256: String
    /// The store's ETag for the object.
    package var etag: String
    /// When the upload completed (millisecond precision).
    package var uploadedAt: Date
    /// Who uploaded it, if known.
    package var uploadedBy: String?
    /// Active or archived.
    package var status: DocumentStatus
    /// For archived documents, the key the document had before archiving.
    package var originalKey: String?
    /// For archived documents, when it was archived (millisecond precision).
    package var archivedAt: Date?

    /// Creates a row from every column, as stored; `searchName` should be `searchName(for: fileName)` (inserts
    /// derive it anyway, so a different value cannot reach the database).
    package init(
        id: UUID,
        key: String,
        fileName: String,
        searchName: String,
        size: Int64,
        contentType: String,
        category: FileCategory,
        entityType: EntityType,
        entityID: String,
        sha256: String,
        etag: String,
        uploadedAt: Date,
        uploadedBy: String?,
        status: DocumentStatus,
        originalKey: String?,
        archivedAt: Date?
    ) {
        self.id = id
        self.key = key
        self.fileName = fileName
        self.searchName = searchName
        self.size = size
        self.contentType = contentType
        self.category = category
        self.entityType = entityType
        self.entityID = entityID
        self.sha256 = sha256
        self.etag = etag
        self.uploadedAt = uploadedAt.roundedToMilliseconds
        self.uploadedBy = uploadedBy
        self.status = status
        self.originalKey = originalKey
        self.archivedAt = archivedAt?.roundedToMilliseconds
    }

    /// Creates an active document row; ``searchName`` is derived from `fileName` so the two never disagree.
    package init(
        id: UUID,
        key: String,
        fileName: String,
        size: Int64,
        contentType: String,
        category: FileCategory,
        entityType: EntityType,
        entityID: String,
        sha256: String,
        etag: String,
        uploadedAt: Date,
        uploadedBy: String? = nil
    ) {
        self.init(
            id: id,
            key: key,
            fileName: fileName,
            searchName: Self.searchName(for: fileName),
            size: size,
            contentType: contentType,
            category: category,
            entityType: entityType,
            entityID: entityID,
            sha256: sha256,
            etag: etag,
            uploadedAt: uploadedAt,
            uploadedBy: uploadedBy,
            status: .active,
            originalKey: nil,
            archivedAt: nil
        )
    }

    /// Reads a row of `documents` by position: the columns of ``selectionSQL``, in that order.
    ///
    /// Written out rather than derived from `Decodable`: listing decodes up to 1,001 rows per request, and the
    /// generic decoder cost more than the query itself; reading by position spares the name lookup of each of the
    /// 16 columns. Unknown enum values throw, as decoding would.
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
    }

    /// The columns in the order ``init(row:)`` reads them. Every query that fetches documents selects exactly
    /// these: raw SQL through ``selectionSQL``, the query interface through ``databaseSelection``.
    static let columnOrder: [Column] = [
        Columns.id, Columns.key, Columns.fileName, Columns.searchName, Columns.size, Columns.contentType, Columns.category,
        Columns.entityType, Columns.entityID, Columns.sha256, Columns.etag, Columns.uploadedAt, Columns.uploadedBy,
        Columns.status, Columns.originalKey, Columns.archivedAt,
    ]

    /// ``columnOrder`` as the result columns of a `SELECT`.
    package static let selectionSQL = columnOrder.map(\.name).joined(separator: ", ")

    /// What the query interface selects for this record: ``columnOrder``.
    package static var databaseSelection: [any SQLSelectable] { columnOrder }

    /// The form of a file name (or of a search term) that search compares: lowercased, then Unicode NFC.
    ///
    /// Done in Swift because SQLite's `lower()` and `LIKE` only fold ASCII; normalising makes a composed "É"
    /// and an "E" followed by a combining accent match each other.
    package static func searchName(for text: String) -> String {
        text.lowercased().precomposedStringWithCanonicalMapping
    }

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
    }

    enum CodingKeys: String, CodingKey {
        case id
        case key
        case fileName = "file_name"
        case searchName = "search_name"
        case size
        case contentType = "content_type"
        case category
        case entityType = "entity_type"
        case entityID = "entity_id"
        case sha256
        case etag
        case uploadedAt = "uploaded_at"
        case uploadedBy = "uploaded_by"
        case status
        case originalKey = "original_key"
        case archivedAt = "archived_at"
    }
}
