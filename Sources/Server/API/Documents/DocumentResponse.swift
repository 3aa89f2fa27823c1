import Documents
import Foundation
import Persistence

/// A document as the API returns it: from upload, list, stats and delete.
struct DocumentResponse: Codable, Sendable {
    let id: String
    let key: String
    let fileName: String
    let size: Int64
    let contentType: String
    let category: String
    let entityType: String
    let entityId: String
    let sha256: String
    let uploadedAt: String
    /// `active`, `archived`, or `missing` (the object is gone from the store; listed to administrators only).
    let status: String
    /// Where to fetch the bytes through the API (relative, so it never depends on a client-sent Host).
    let url: String
    /// The legal hold, when the document is under one (absent otherwise).
    let legalHold: LegalHoldResponse?
    /// The reference an app stores in its own tables (`medvault://documents/{id}`); it never changes, and
    /// `GET /api/v2/documents/{id}/signed-url` turns it into a URL when the document is shown.
    let ref: String

    init(_ record: DocumentRecord) {
        self.id = record.apiID
        self.key = record.key
        self.fileName = record.fileName
        self.size = record.size
        self.contentType = record.contentType
        self.category = record.category.rawValue
        self.entityType = record.entityType.rawValue
        self.entityId = record.entityID
        self.sha256 = record.sha256
        self.uploadedAt = MillisecondTimestamp.string(record.uploadedAt)
        self.status = record.status.rawValue
        self.url = "/api/v2/aws/s3/download?id=\(id)"
        self.legalHold = LegalHoldResponse(record)
        self.ref = "medvault://documents/\(id)"
    }
}
