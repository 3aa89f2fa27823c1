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
    /// The documents whose object is gone (see ``EntityExport/missingDocuments``): what the index knows, no file.
    let missing: [IndexFacts]

    /// What the index knows of a document: the fields of the API's document that every manifest entry carries.
    struct IndexFacts: Encodable, Sendable {
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

    /// One document in the archive: its ``IndexFacts``, `uploadedBy`, its status, `path`, the file in the archive, and
    /// its `variants` (previews, poster, phone rendition; empty when it has none).
    struct Document: Encodable, Sendable {
        let facts: IndexFacts
        let uploadedBy: String?
        let status: String
        let path: String
        let variants: [ExportedVariant]

        init(_ document: ExportedDocument) {
            facts = IndexFacts(document.record)
            uploadedBy = document.record.uploadedBy
            status = document.record.status.rawValue
            path = document.path
            variants = document.variants
        }

        // The facts' fields and these in one object; `uploadedBy` is written as null when unknown, so every document
        // has the same fields.
        func encode(to encoder: any Encoder) throws {
            try facts.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(uploadedBy, forKey: .uploadedBy)
            try container.encode(status, forKey: .status)
            try container.encode(path, forKey: .path)
            try container.encode(variants, forKey: .variants)
        }

        private enum CodingKeys: String, CodingKey {
            case uploadedBy, status, path, variants
        }
    }

    init(_ export: EntityExport, documents: [ExportedDocument]) {
        entityType = export.entityType.rawValue
        entityId = export.entityID.rawValue
        exportedAt = MillisecondTimestamp.string(export.exportedAt)
        includesArchived = export.includesArchived
        self.documents = documents.map(Document.init)
        missing = export.missingDocuments.map(IndexFacts.init)
    }
}
