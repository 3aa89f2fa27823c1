import Audit

/// What the audit row of a call says about it, as the handler learns it (through its ``AuditRecorder``): which
/// document, whose, which status.
struct AuditSubject {
    var documentID: String?
    var documentKey: String?
    /// The patient whose data the call concerned.
    var patientID: String?
    /// Set when the caller is not (yet) on the request context: a sign-in names the account it tried.
    var actorID: String?
    var actorRole: String?
    /// A provider's emergency access outside their care team, with their stated reason.
    var breakGlass = false
    var reason: String?
    /// The outcome, when the status does not tell it (a refusal answered as 404 so as not to leak existence).
    var outcome: AuditOutcome?
    var httpStatus = 200
    var errorCode: String?
    var detail: String?
    /// The action, when the handler learns that it is not the route's default (a permanent delete).
    var action: AuditAction?
}
