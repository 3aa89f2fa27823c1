import Foundation
import Persistence

/// A document's legal hold as the API shows it (in `list`, upload, and the hold endpoints): why, since when, by whom.
struct LegalHoldResponse: Codable, Sendable, Equatable {
    let reason: String
    let heldAt: String
    /// The user id of the administrator who placed the hold; `null` when not known.
    let heldBy: String?

    /// The row's hold, or nil when the document is not held.
    init?(_ record: DocumentRecord) {
        guard let reason = record.holdReason, let heldAt = record.heldAt else { return nil }
        self.reason = reason
        self.heldAt = MillisecondTimestamp.string(heldAt)
        self.heldBy = record.heldBy
    }

    /// Spelled out so that `heldBy` is `null` rather than absent, as ``writeJSON(to:)`` writes it.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(heldAt, forKey: .heldAt)
        try container.encode(heldBy, forKey: .heldBy)
        try container.encode(reason, forKey: .reason)
    }

    /// The members in the order `.sortedKeys` gives them.
    func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("heldAt")
        writer.string(heldAt)
        writer.key("heldBy")
        writer.string(heldBy)
        writer.key("reason")
        writer.string(reason)
        writer.endObject()
    }

    private enum CodingKeys: String, CodingKey {
        case reason, heldAt, heldBy
    }
}
