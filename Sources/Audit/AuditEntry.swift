import Foundation

/// What one audit row says: who did what to which document, when, from where, and how it ended.
///
/// Every document operation and every sign-in, allowed or denied, produces one entry (see DESIGN.md, "Audit").
/// An entry never holds document contents; `detail` is a short, human-readable note.
/// - important: `occurredAt` is kept to the millisecond (the initialiser rounds it), because that is what the
///   database stores and what ``AuditChain`` hashes; an entry read back from storage is equal to the one written.
package struct AuditEntry: Sendable, Codable, Equatable {
    /// When the operation happened, in UTC, rounded to the millisecond.
    package var occurredAt: Date
    /// What was attempted.
    package var action: AuditAction
    /// How it ended.
    package var outcome: AuditOutcome
    /// The HTTP status answered, if the operation came through HTTP.
    package var httpStatus: Int?
    /// The stable error code answered (the `error.code` of the API), if any.
    package var errorCode: String?
    /// The document's id, when one was involved and known.
    package var documentID: String?
    /// The object key, when one was involved and known.
    package var documentKey: String?
    /// The patient whose data the operation concerned (their documents, their care team), or nil when none was:
    /// what lets an auditor answer "who touched this patient's records" without parsing keys.
    package var patientID: String?
    /// The authenticated user or client, if any; denied anonymous requests have none.
    package var actorID: String?
    /// The actor's role at the time (`patient`, `provider`, `admin`).
    package var actorRole: String?
    /// Whether a provider used emergency access outside their care team; such rows must carry a `reason`.
    package var breakGlass: Bool
    /// The reason given for break-glass access or for a permanent delete.
    package var reason: String?
    /// The client's address as the server saw it (after trusted proxy handling).
    package var clientAddress: String?
    /// The client's `User-Agent` header.
    package var userAgent: String?
    /// The request id, which ties this row to the server's logs and the error body the client received.
    package var requestID: String
    /// A short note for humans (never document contents, file bytes or secrets).
    package var detail: String?

    /// Creates an entry (parameters in the field order above); `occurredAt` is rounded to the millisecond so
    /// that storing it loses nothing.
    package init(
        occurredAt: Date,
        action: AuditAction,
        outcome: AuditOutcome,
        httpStatus: Int? = nil,
        errorCode: String? = nil,
        documentID: String? = nil,
        documentKey: String? = nil,
        patientID: String? = nil,
        actorID: String? = nil,
        actorRole: String? = nil,
        breakGlass: Bool = false,
        reason: String? = nil,
        clientAddress: String? = nil,
        userAgent: String? = nil,
        requestID: String,
        detail: String? = nil
    ) {
        self.occurredAt = occurredAt.roundedToMilliseconds
        self.action = action
        self.outcome = outcome
        self.requestID = requestID
        self.httpStatus = httpStatus
        self.errorCode = errorCode
        self.documentID = documentID
        self.documentKey = documentKey
        self.patientID = patientID
        self.actorID = actorID
        self.actorRole = actorRole
        self.breakGlass = breakGlass
        self.reason = reason
        self.clientAddress = clientAddress
        self.userAgent = userAgent
        self.detail = detail
    }

    private enum CodingKeys: String, CodingKey {
        case occurredAt, action, outcome, httpStatus, errorCode, documentID, documentKey, patientID, actorID, actorRole
        case breakGlass, reason, clientAddress, userAgent, requestID, detail
    }

    /// Decodes an entry, rounding `occurredAt` like the memberwise initialiser does.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            occurredAt: try container.decode(Date.self, forKey: .occurredAt),
            action: try container.decode(AuditAction.self, forKey: .action),
            outcome: try container.decode(AuditOutcome.self, forKey: .outcome),
            httpStatus: try container.decodeIfPresent(Int.self, forKey: .httpStatus),
            errorCode: try container.decodeIfPresent(String.self, forKey: .errorCode),
            documentID: try container.decodeIfPresent(String.self, forKey: .documentID),
            documentKey: try container.decodeIfPresent(String.self, forKey: .documentKey),
            patientID: try container.decodeIfPresent(String.self, forKey: .patientID),
            actorID: try container.decodeIfPresent(String.self, forKey: .actorID),
            actorRole: try container.decodeIfPresent(String.self, forKey: .actorRole),
            breakGlass: try container.decodeIfPresent(Bool.self, forKey: .breakGlass) ?? false,
            reason: try container.decodeIfPresent(String.self, forKey: .reason),
            clientAddress: try container.decodeIfPresent(String.self, forKey: .clientAddress),
            userAgent: try container.decodeIfPresent(String.self, forKey: .userAgent),
            requestID: try container.decode(String.self, forKey: .requestID),
            detail: try container.decodeIfPresent(String.self, forKey: .detail)
        )
    }
}
