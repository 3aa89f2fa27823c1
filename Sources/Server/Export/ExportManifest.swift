import Documents
import Foundation
import Persistence

/// `manifest.json`: what the archive holds, one entry per document with the index's facts about it, so that a
/// recipient can check every file (`sha256`, `size`) without medvault.
struct ExportManifest: Encodable, Sendable {
    let entityType: String
    let entityId: String
    let exportedAt: String
    let includesArchived: Bool
    let documents: [Document]
    /// The documents whose object is gone (see ``EntityExport/missingDocuments``): listed with the index's facts, no file.
    let missing: [MissingDocument]

    /// A document the archive cannot hold because its object is gone: what the index knows of it.
    struct MissingDocument: Encodable, Sendable {
        let id: String
        let key: String
        let fileName: String
        let category: String
        let contentType: String
        let size: Int64
        let sha256: String
        let uploadedAt: String

        init(_ record: DocumentRecord) {
            id = record.id.lowercaseText
            key = record.key
            fileName = record.fileName
            category = record.category.rawValue
            contentType = record.contentType
            size = record.size
            sha256 = record.sha256
            uploadedAt = MillisecondTimestamp.string(record.uploadedAt)
        }
    }

    /// One document: the fields of the API's document (id, key, fileName, category, contentType, size, sha256,
    /// uploadedAt, uploadedBy), its status, and `path`, the file in the archive.
    struct Document: Encodable, Sendable {
        let id: String
        let key: String
        let fileName: String
        let category: String
        let contentType: String
        let size: Int64
        let sha256: String
        let uploadedAt: String
        let uploadedBy: String?
        let status: String
        let path: String

        init(_ document: ExportedDocument) {
            let record = document.record
            id = record.id.lowercaseText
            key = record.key
            fileName = record.fileName
            category = record.category.rawValue
            contentType = record.contentType
            size = record.size
            sha256 = record.sha256
            uploadedAt = MillisecondTimestamp.string(record.uploadedAt)
            uploadedBy = record.uploadedBy
            status = record.status.rawValue
            path = document.path
        }

        // `uploadedBy` is written as null when unknown, so every document has the same fields.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(key, forKey: .key)
            try container.encode(fileName, forKey: .fileName)
            try container.encode(category, forKey: .category)
            try container.encode(contentType, forKey: .contentType)
            try container.encode(size, forKey: .size)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(uploadedAt, forKey: .uploadedAt)
            try container.encode(uploadedBy, forKey: .uploadedBy)
            try container.encode(status, forKey: .status)
            try container.encode(path, forKey: .path)
        }

        private enum CodingKeys: String, CodingKey {
            case id, key, fileName, category, contentType, size, sha256, uploadedAt, uploadedBy, status, path
        }
    }

    init(_ export: EntityExport, documents: [ExportedDocument]) {
        entityType = export.entityType.rawValue
        entityId = export.entityID.rawValue
        exportedAt = MillisecondTimestamp.string(export.exportedAt)
        includesArchived = export.includesArchived
        self.documents = documents.map(Document.init)
        missing = export.missingDocuments.map(MissingDocument.init)
    }
}
