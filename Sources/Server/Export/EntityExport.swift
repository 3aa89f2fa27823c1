import Archive
import Documents
import Foundation
import Persistence

/// One entity's documents, gathered for an export archive (`GET /api/v2/entities/{entityType}/{entityId}/export`,
/// `medvault export`): the index rows, in key order, of its active documents and, when asked, its archived ones.
///
/// Only the rows are held, a few hundred bytes each; the bytes are streamed by ``write(from:logger:to:)`` one buffer
/// at a time. The rows are read before the first byte goes out because the audit row names how many documents the
/// archive holds, and it is written before the archive is.
package struct EntityExport: Sendable {
    package let entityType: EntityType
    package let entityID: EntityID
    /// Whether archived documents are in the archive too.
    package let includesArchived: Bool
    /// The documents, active ones first, each group in key order.
    package let documents: [DocumentRecord]
    /// The entity's documents whose object is gone (``DocumentStatus/missing``, marked by `reconcile --fix`): no file
    /// can be sent for them, but the manifest names them, so the export never leaves a document out without a word.
    package let missingDocuments: [DocumentRecord]
    /// When the export was made: the manifest's and the bundle's timestamp.
    package let exportedAt: Date
    /// From which sizes on the archive uses ZIP64 records; ``Zip64Thresholds/always`` only in tests.
    package let thresholds: Zip64Thresholds

    /// Reads the entity's rows from `index`, a page at a time.
    package static func gather(
        _ entityType: EntityType,
        _ entityID: EntityID,
        includingArchived: Bool,
        from index: any DocumentIndex,
        at now: Date,
        thresholds: Zip64Thresholds = .standard
    ) async throws -> EntityExport {
        let folder = "\(entityType.rootFolder)/\(entityID.rawValue)/"
        var documents = try await rows(under: folder, archived: false, from: index)
        var missing = try await rows(under: folder, missing: true, from: index)
        if includingArchived {
            // An archived document's key is its old key under `archived/` (``KeyLayout/archivedKey(for:)``).
            documents += try await rows(under: "archived/" + folder, archived: true, from: index)
            missing += try await rows(under: "archived/" + folder, missing: true, from: index)
        }
        // The folder names the entity; the stored entity columns must agree, whatever a row's key says.
        let ofEntity = { (record: DocumentRecord) in record.entityType == entityType && record.entityID == entityID.rawValue }
        return EntityExport(
            entityType: entityType,
            entityID: entityID,
            includesArchived: includingArchived,
            documents: documents.filter(ofEntity),
            missingDocuments: missing.filter(ofEntity),
            exportedAt: now,
            thresholds: thresholds
        )
    }

    /// Every row of one status (active, archived, or missing) under `prefix`, through the listing's keyset pages.
    private static func rows(
        under prefix: String,
        archived: Bool = false,
        missing: Bool = false,
        from index: any DocumentIndex
    ) async throws -> [DocumentRecord] {
        var rows: [DocumentRecord] = []
        var query = DocumentQuery(prefix: prefix, archived: archived, limit: DocumentQuery.maximumLimit)
        query.missing = missing
        while true {
            let page = try await index.listDocuments(query)
            rows += page.documents
            guard let next = page.nextAfterKey else { return rows }
            query.afterKey = next
        }
    }

    /// The audit row's detail: how many documents, how many are missing, and whether archived ones were asked for
    /// (never names or ids).
    package var auditDetail: String {
        "documents=\(documents.count)" + (missingDocuments.isEmpty ? "" : " missing=\(missingDocuments.count)")
            + (includesArchived ? " include=archived" : "")
    }

    /// The path of `record`'s file inside the archive: `documents/{category}/{id}-{fileName}` for an active document,
    /// `archived/…` for an archived one. Unique because the id is; safe because the stored file name passed the
    /// upload's ``ObjectNameRule`` (no `/`, `\`, control characters, leading dots). A row whose name does not (written
    /// by an older version) gets its id alone.
    static func path(of record: DocumentRecord) -> String {
        let folder = record.status == .active ? "documents" : "archived"
        let name = ObjectNameRule.violation(of: record.fileName) == nil ? "\(record.id.lowercaseText)-\(record.fileName)" : record.id.lowercaseText
        return "\(folder)/\(record.category.rawValue)/\(name)"
    }
}
