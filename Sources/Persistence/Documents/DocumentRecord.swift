import Audit
import Documents
import Foundation

/// One row of `documents`: where a stored object is, what it is, who it belongs to, and whether it is live.
///
/// This is the index that listing, search and statistics read, so they never need to list the bucket.
/// Instants are stored as integer milliseconds since 1970 (UTC), so they sort and read back equal to the
/// millisecond; the id is stored as lowercase UUID text. The schema (migrations/0001_initial.sql) enforces
/// the rules with CHECK constraints: positive size, one of the 9 categories and 4 entity types, a 64-digit
/// lowercase hex SHA-256, and archived rows carrying `originalKey` and `archivedAt`. A plain value: each engine
/// reads and writes it in its own way (SQLite/DocumentRecord+GRDB.swift, Postgres/DocumentRecord+Postgres.swift);
/// `CodingKeys` name the columns.
package struct DocumentRecord: Codable, Sendable, Equatable {
    /// The document's id, part of its object name (`{uuid}-{name}`).
    package var id: UUID
    /// The object key in the store; unique.
    package var key: String
    /// The original file name as uploaded (sanitised by the upload policy); shown to users, never logged.
    package var fileName: String
    /// ``fileName`` prepared for case-insensitive search: always `searchName(for: fileName)`;
    /// ``DocumentIndex/insertDocuments(_:audit:)`` stores that derived value whatever this property holds.
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
    /// The legal hold on the document, if any: while there is one, it cannot be archived, deleted or erased.
    package var holdReason: String?
    /// When the hold was placed (millisecond precision); set exactly when ``holdReason`` is.
    package var heldAt: Date?
    /// The user id of the administrator who placed the hold, if known.
    package var heldBy: String?

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
        archivedAt: Date?,
        holdReason: String? = nil,
        heldAt: Date? = nil,
        heldBy: String? = nil
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
        self.holdReason = holdReason
        self.heldAt = heldAt?.roundedToMilliseconds
        self.heldBy = heldBy
    }

    /// Whether a legal hold forbids archiving, deleting, erasing, expiring or transitioning the document.
    package var isHeld: Bool { holdReason != nil }

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

    /// The form of a file name (or of a search term) that search compares: lowercased, then Unicode NFC.
    ///
    /// Done in Swift because SQLite's `lower()` and `LIKE` only fold ASCII; normalising makes a composed "É"
    /// and an "E" followed by a combining accent match each other.
    package static func searchName(for text: String) -> String {
        text.lowercased().precomposedStringWithCanonicalMapping
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
        case holdReason = "hold_reason"
        case heldAt = "held_at"
        case heldBy = "held_by"
    }
}
