import Documents
import Foundation
import Persistence

/// `fhir-bundle.json`: the archive's documents as a FHIR R4 `Bundle` of type `collection` holding one
/// `DocumentReference` per document (hl7.org/fhir/R4/documentreference.html), whose attachment points at the file in
/// the archive, so that a FHIR client can import the export without knowing medvault.
///
/// R4 requires `status` and at least one `content.attachment` of a DocumentReference, and `type` of a Bundle. The
/// attachment carries `url` (the file's path, relative to the archive), `contentType`, `title` (the file name),
/// `creation`, `hash` (base64 SHA-1, R4's definition) and `size`, which R4 types as `unsignedInt` (at most 2^31 - 1):
/// a larger file has no `size` here, its manifest entry has it.
struct FHIRDocumentBundle: Encodable, Sendable {
    let resourceType = "Bundle"
    let type = "collection"
    let timestamp: String
    let entry: [Entry]

    struct Entry: Encodable, Sendable {
        let fullUrl: String
        let resource: DocumentReference
    }

    struct DocumentReference: Encodable, Sendable {
        let resourceType = "DocumentReference"
        let id: String
        let identifier: [FHIR.Identifier]
        /// `current` for an active document; `superseded` for an archived one, which is kept but no longer part of the
        /// living record (R4's DocumentReferenceStatus has no closer code; `entered-in-error` would claim it was wrong).
        let status: String
        let category: [FHIR.CodeableConcept]
        /// A logical reference (its `type` and `identifier`): medvault's entity ids may hold `_`, which a FHIR resource
        /// id may not, so the entity is not named as `Patient/{id}`.
        let subject: FHIR.Reference?
        let date: String
        let content: [Content]
    }

    struct Content: Encodable, Sendable {
        let attachment: Attachment
    }

    struct Attachment: Encodable, Sendable {
        let contentType: String
        let url: String
        let size: Int64?
        let hash: String
        let title: String
        let creation: String
    }

    /// R4's `unsignedInt` ceiling.
    static let maximumAttachmentSize: Int64 = 2_147_483_647

    init(_ export: EntityExport, documents: [ExportedDocument]) {
        timestamp = MillisecondTimestamp.string(export.exportedAt)
        let subject = Self.subject(export.entityType, export.entityID)
        entry = documents.map { document in
            let record = document.record
            let id = record.id.lowercaseText
            let uploaded = MillisecondTimestamp.string(record.uploadedAt)
            let attachment = Attachment(
                contentType: record.contentType,
                url: document.path,
                size: record.size <= Self.maximumAttachmentSize ? record.size : nil,
                hash: document.sha1Base64,
                title: record.fileName,
                creation: uploaded
            )
            let reference = DocumentReference(
                id: id,
                identifier: [FHIR.Identifier(system: "urn:ietf:rfc:3986", value: "urn:uuid:\(id)")],
                status: record.status == .active ? "current" : "superseded",
                category: [FHIR.CodeableConcept(coding: nil, text: record.category.rawValue)],
                subject: subject,
                date: uploaded,
                content: [Content(attachment: attachment)]
            )
            return Entry(fullUrl: "urn:uuid:\(id)", resource: reference)
        }
    }

    /// The resource the documents are about, where R4 allows one as `DocumentReference.subject`: a Patient or a
    /// Practitioner; appointments and prescriptions are not subjects, so their documents have none.
    private static func subject(_ type: EntityType, _ id: EntityID) -> FHIR.Reference? {
        let identifier = FHIR.Identifier(system: nil, value: id.rawValue)
        return switch type {
        case .patient: FHIR.Reference(reference: nil, identifier: identifier, display: nil, type: "Patient")
        case .provider: FHIR.Reference(reference: nil, identifier: identifier, display: nil, type: "Practitioner")
        case .appointment, .prescription: nil
        }
    }
}
