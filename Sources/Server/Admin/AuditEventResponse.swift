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
        occurredAt = entry.occurredAt.formatted(AuditTimestamp.style)
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
}

/// How the audit API writes and reads instants: ISO 8601 in UTC with milliseconds, which is what is stored.
enum AuditTimestamp {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Parses `from`/`to`: ISO 8601 with or without fractional seconds.
    static func parse(_ text: String) -> Date? {
        (try? style.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}
