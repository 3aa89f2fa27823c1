import Audit
import Foundation

/// What the audit API asks for: rows matching every given filter, in sequence order, one page at a time.
///
/// Paging continues after the last sequence of the previous page (`afterSequence`); the trail only grows at
/// the end, so pages never skip or repeat a row however many are appended meanwhile.
package struct AuditQuery: Sendable, Equatable {
    /// The largest page a query returns; larger limits are clamped to this.
    package static let maximumLimit = 1000

    /// Only rows whose actor is this user or client.
    package var actorID: String?
    /// Only rows concerning this patient (``AuditEntry/patientID``).
    package var patientID: String?
    /// Only rows about this exact object key.
    package var documentKey: String?
    /// Only rows of this action.
    package var action: AuditAction?
    /// Only rows with this outcome.
    package var outcome: AuditOutcome?
    /// Only rows of refusals and failures with this error code (`malware_detected`, `forbidden`, …).
    package var errorCode: String?
    /// Only rows that occurred at or after this instant.
    package var from: Date?
    /// Only rows that occurred before this instant (exclusive, so consecutive windows do not overlap).
    package var to: Date?
    /// Only break-glass rows (`true`) or only ordinary ones (`false`).
    package var breakGlass: Bool?
    /// Continue after this sequence: the previous page's ``AuditPage/nextAfterSequence``.
    package var afterSequence: Int64?
    /// The page size, clamped to `1...maximumLimit`.
    package var limit: Int

    /// Creates a query; by default the first 100 rows of the whole trail.
    package init(
        actorID: String? = nil,
        patientID: String? = nil,
        documentKey: String? = nil,
        action: AuditAction? = nil,
        outcome: AuditOutcome? = nil,
        errorCode: String? = nil,
        from: Date? = nil,
        to: Date? = nil,
        breakGlass: Bool? = nil,
        afterSequence: Int64? = nil,
        limit: Int = 100
    ) {
        self.actorID = actorID
        self.patientID = patientID
        self.documentKey = documentKey
        self.action = action
        self.outcome = outcome
        self.errorCode = errorCode
        self.from = from
        self.to = to
        self.breakGlass = breakGlass
        self.afterSequence = afterSequence
        self.limit = limit
    }

    /// The page size actually used.
    var pageSize: Int { min(max(limit, 1), Self.maximumLimit) }
}
