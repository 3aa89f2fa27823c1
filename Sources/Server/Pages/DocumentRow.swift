import Documents
import Foundation
import Media
import Persistence

/// One `tr.document-row` of the documents table: the record as people read it (human-readable size and
/// time, a short type name, who uploaded it), plus the raw values the row's `data-*` attributes carry for
/// the details dialog and the row actions.
struct DocumentRow: Sendable, Equatable {
    let id: String
    let key: String
    let fileName: String
    let category: String
    /// A short type name ("PDF", "PNG"), or the media type when it is not one medvault names.
    let type: String
    let contentType: String
    let size: String
    let sizeBytes: Int64
    let uploadedAt: String
    let uploadedAtISO: String
    let uploadedBy: String
    let entityType: String
    let entityID: String
    let sha256: String
    /// Archived (under `archived/`): the row offers Restore, which only administrators can see such rows to use.
    let archived: Bool
    /// The legal hold as the details dialog shows it ("Case 14, since 2026-03-01 14:05 UTC"), or nil when not held.
    let legalHold: String?
    /// The thumbnail shown before the name (`download?id=…&variant=thumbnail`, read under the document's own access
    /// decision with the session cookie), for the images and PDFs that get previews; nil for the others.
    var thumbnailURL: String? = nil
}

extension DocumentRow {
    /// `uploaders` maps user ids to how to show them; an id missing from it is shown as "unknown user".
    init(_ record: DocumentRecord, uploaders: [String: String]) {
        id = record.apiID
        key = record.key
        fileName = record.fileName
        category = record.category.rawValue
        type = Self.typeName(of: record.contentType)
        contentType = record.contentType
        size = PageFormat.byteCount(record.size)
        sizeBytes = record.size
        uploadedAt = PageFormat.minute(record.uploadedAt)
        uploadedAtISO = PageFormat.machineInstant(record.uploadedAt)
        uploadedBy = record.uploadedBy.map { uploaders[$0] ?? "unknown user" } ?? "unknown"
        entityType = record.entityType.rawValue
        entityID = record.entityID
        sha256 = record.sha256
        archived = record.status == .archived
        legalHold = record.holdReason.map { reason in record.heldAt.map { "\(reason), since \(PageFormat.minute($0))" } ?? reason }
        thumbnailURL =
            PreviewMaker.isPreviewable(contentType: record.contentType)
            ? "/api/v2/aws/s3/download?id=\(record.apiID)&variant=\(DocumentVariant.thumbnail.rawValue)" : nil
    }

    /// "PDF" for `application/pdf`, "DOCX" for the Word media type, …; other types as given.
    static func typeName(of contentType: String) -> String {
        AllowedType(mimeType: contentType).map { $0.extensions[0].uppercased() } ?? contentType
    }
}
