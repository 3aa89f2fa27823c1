import Audit
import Hummingbird
import Persistence

/// The one way a handler talks to the audit trail about its call: it notes what it learns (the fields of
/// ``AuditSubject``, read and written as the recorder's own), admits the access decision on a document
/// (``admit(_:)``), and, when the call changes data, commits its success row inside the change's own transaction
/// (``commit(_:)``).
///
/// ``AuditTrail/perform(_:request:context:_:)`` makes one recorder per call and writes whatever the handler did not:
/// nothing after a commit (the row is durable with the change), one success row after a read, one row for the
/// refusal or failure when the handler throws. A handler therefore cannot forget its row, and cannot write it twice:
/// a second commit is refused.
///
/// Used by one task, from the handler's start to its answer; never shared.
@dynamicMemberLookup
final class AuditRecorder {
    private let trail: AuditTrail
    private let action: AuditAction
    private let request: Request
    private let context: AppRequestContext
    /// What the call has told so far.
    private(set) var subject = AuditSubject()
    /// Whether the call's success rows were written with its change.
    private(set) var committed = false

    init(trail: AuditTrail, action: AuditAction, request: Request, context: AppRequestContext) {
        self.trail = trail
        self.action = action
        self.request = request
        self.context = context
    }

    /// The subject's fields, as if they were the recorder's.
    subscript<Value>(dynamicMember keyPath: WritableKeyPath<AuditSubject, Value>) -> Value {
        get { subject[keyPath: keyPath] }
        set { subject[keyPath: keyPath] = newValue }
    }

    /// Notes what `decision` tells the trail (the document, the patient, a broken glass and its reason) and returns
    /// the document, or throws the refusal (404 when there is no document); a refusal answered as 404 so as not to reveal the document is recorded as
    /// denied.
    func admit(_ decision: DocumentDecision) throws -> DocumentRecord {
        try check(decision)
        guard let record = decision.record else { throw APIError.documentNotFound }
        return record
    }

    /// Notes what `decision` tells the trail, as ``admit(_:)`` does, for a decision on a document that does not exist
    /// yet (one about to be uploaded), and throws its refusal.
    func check(_ decision: DocumentDecision) throws {
        if let documentID = decision.documentID { subject.documentID = documentID }
        if let documentKey = decision.documentKey { subject.documentKey = documentKey }
        if let patientID = decision.patientID { subject.patientID = patientID }
        if let reason = decision.breakGlassReason {
            subject.breakGlass = true
            subject.reason = reason
        }
        if case .refused(let error, let outcome) = decision.verdict {
            if let outcome { subject.outcome = outcome }
            throw error
        }
    }

    /// Runs `change` with the call's success row, which `change` writes in its own transaction, and marks the call
    /// recorded once it has succeeded.
    @discardableResult
    func commit<Result>(_ change: (AuditEntry) async throws -> Result) async throws -> Result {
        try await commit(each: [subject]) { entries in try await change(entries[0]) }
    }

    /// Runs `change` with one success row per subject (an upload records each stored file), written in `change`'s
    /// own transaction, and marks the call recorded once it has succeeded.
    @discardableResult
    func commit<Result>(each subjects: [AuditSubject], _ change: ([AuditEntry]) async throws -> Result) async throws -> Result {
        // A second commit is a handler's mistake: refused (500), and the trail keeps the first row only.
        guard !committed else { throw APIError.unexpected }
        let entries = subjects.map { subject in
            trail.entry(
                subject.action ?? action,
                outcome: .success,
                httpStatus: subject.httpStatus,
                subject: subject,
                request: request,
                context: context
            )
        }
        let result = try await change(entries)
        committed = true
        return result
    }
}
