import Documents
import Foundation
import Persistence

/// The answer to `POST uploads` (201): where and how to send each part.
struct UploadSessionCreated: Encodable, Sendable {
    let uploadId: String
    let expiresAt: String
    let partSize: Int64
    let parts: [PartURL]
}

/// The answer to `GET uploads/{uploadId}`: the session's state, what storage already holds, and fresh URLs for the
/// parts still missing (none once the session is no longer `pending`), so a client can resume after a dropped
/// connection or a reload.
struct UploadSessionStatus: Encodable, Sendable {
    let uploadId: String
    let state: String
    let expiresAt: String
    let partSize: Int64
    let receivedParts: [ReceivedPart]
    let parts: [PartURL]
    /// The code a rejected session was refused with; null otherwise.
    let rejectionCode: String?

    init(_ session: UploadSessionRecord, receivedParts: [ReceivedPart], parts: [PartURL]) {
        self.uploadId = session.id.lowercaseText
        self.state = session.state.rawValue
        self.expiresAt = MillisecondTimestamp.string(session.expiresAt)
        self.partSize = session.partSize
        self.receivedParts = receivedParts
        self.parts = parts
        self.rejectionCode = session.rejectionCode
    }

    /// Spelled out so that `rejectionCode` is `null` rather than absent.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(uploadId, forKey: .uploadId)
        try container.encode(state, forKey: .state)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(partSize, forKey: .partSize)
        try container.encode(receivedParts, forKey: .receivedParts)
        try container.encode(parts, forKey: .parts)
        try container.encode(rejectionCode, forKey: .rejectionCode)
    }

    private enum CodingKeys: String, CodingKey {
        case uploadId, state, expiresAt, partSize, receivedParts, parts, rejectionCode
    }
}
