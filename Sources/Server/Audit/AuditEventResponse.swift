import Audit
import Foundation

/// One audit row as the audit API and the JSON Lines export show it.
struct AuditEventResponse: Encodable, Sendable {
    let sequence: Int64
    let occurredAt: String
    let action: String
    let outcome: String
    let httpStatus: Int?
    let errorCode: String?
    let documentId: String?
    let documentKey: String?
    let patientId: String?
    let actorId: String?
    let actorRole: String?
    let breakGlass: Bool
    let reason: String?
    let clientAddress: String?
    let userAgent: String?
    let requestId: String
    let detail: String?
    let previousHash: String
    let hash: String

    init(_ record: AuditRecord) {
        let entry = record.entry
        sequence = record.sequence
        occurredAt = MillisecondTimestamp.string(entry.occurredAt)
        action = entry.action.rawValue
        outcome = entry.outcome.rawValue
        httpStatus = entry.httpStatus
        errorCode = entry.errorCode
        documentId = entry.documentID
        documentKey = entry.documentKey
        patientId = entry.patientID
        actorId = entry.actorID
        actorRole = entry.actorRole
        breakGlass = entry.breakGlass
        reason = entry.reason
        clientAddress = entry.clientAddress
        userAgent = entry.userAgent
        requestId = entry.requestID
        detail = entry.detail
        previousHash = record.previousHash
        hash = record.hash
    }

    /// Every field is always present (`null` when there is no value), so exports have one fixed shape that a
    /// SIEM can map to columns.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(occurredAt, forKey: .occurredAt)
        try container.encode(action, forKey: .action)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(httpStatus, forKey: .httpStatus)
        try container.encode(errorCode, forKey: .errorCode)
        try container.encode(documentId, forKey: .documentId)
        try container.encode(documentKey, forKey: .documentKey)
        try container.encode(patientId, forKey: .patientId)
        try container.encode(actorId, forKey: .actorId)
        try container.encode(actorRole, forKey: .actorRole)
        try container.encode(breakGlass, forKey: .breakGlass)
        try container.encode(reason, forKey: .reason)
        try container.encode(clientAddress, forKey: .clientAddress)
        try container.encode(userAgent, forKey: .userAgent)
        try container.encode(requestId, forKey: .requestId)
        try container.encode(detail, forKey: .detail)
        try container.encode(previousHash, forKey: .previousHash)
        try container.encode(hash, forKey: .hash)
    }

    private enum CodingKeys: String, CodingKey {
        case sequence, occurredAt, action, outcome, httpStatus, errorCode, documentId, documentKey, patientId, actorId, actorRole, breakGlass, reason,
            clientAddress, userAgent, requestId, detail, previousHash, hash
    }
}

/// How the audit API reads the instants of `from`/`to`; it writes them with ``MillisecondTimestamp``.
enum AuditTimestamp {
    /// Parses `from`/`to`: an RFC 3339 date-time, as the OpenAPI document's `format: date-time` says.
    static func parse(_ text: String) -> Date? {
        RFC3339Timestamp.parse(text)
    }
}
