import Audit
import Persistence

/// The answer to one document request, as a value: whether it is allowed, and what its audit row needs to know
/// (which document, whose, and whether a provider broke the glass). The handler hands it to its
/// ``AuditRecorder/admit(_:)``, which records those facts and throws the refusal, so the decision and its audit
/// never part.
struct DocumentDecision: Sendable {
    /// Whether the request may go on.
    enum Verdict: Sendable {
        case allowed
        /// Refused with `error`; `outcome` when the status does not tell it (a denial answered as 404).
        case refused(APIError, outcome: AuditOutcome?)
    }

    var verdict: Verdict
    /// The document, when it exists; an allowed request without one is answered 404.
    var record: DocumentRecord?
    var documentID: String?
    var documentKey: String?
    /// The patient whose document it is (or would be, at a key with no document).
    var patientID: String?
    /// The reason a provider gave when the glass was broken; nil when it was not.
    var breakGlassReason: String?

    /// Whether the provider broke the glass for this document.
    var breakGlass: Bool { breakGlassReason != nil }

    /// Throws the refusal, for a caller whose audit row does not name the document (each file of an upload).
    func require() throws(APIError) {
        if case .refused(let error, _) = verdict { throw error }
    }
}
