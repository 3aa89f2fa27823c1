import Access
import Audit
import Foundation
import HTTPTypes
import Hummingbird
import Persistence

/// Writes the audit row of every API call, successful or not (DESIGN.md, "Audit").
///
/// Handlers run inside ``perform(_:request:context:_:)``: if the handler succeeds and did not record its
/// own rows (uploads and deletes write theirs in the same transaction as the document change), one success
/// row is appended before the response goes out; if it throws, one row describing the rejection or
/// failure is appended and the error is rethrown. If that row cannot be written, the call fails with
/// `audit_unavailable` (`insufficient_storage` when the disk is full): an operation that is not in the trail
/// did not happen.
package struct AuditTrail: Sendable {
    let database: any AuditLog
    let now: @Sendable () -> Date

    package init(database: any AuditLog, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.now = now
    }

    /// The row for this request, before its outcome is known.
    func entry(
        _ action: AuditAction,
        outcome: AuditOutcome,
        httpStatus: Int,
        subject: AuditSubject,
        request: Request,
        context: AppRequestContext
    ) -> AuditEntry {
        let actor: AuthenticatedUser? =
            switch context.authentication {
            case .authenticated(let user), .missingCSRFToken(let user): user
            case .anonymous, .failed: nil
            }
        return AuditEntry(
            occurredAt: now(),
            action: action,
            outcome: outcome,
            httpStatus: httpStatus,
            errorCode: subject.errorCode,
            documentID: subject.documentID,
            documentKey: subject.documentKey,
            patientID: subject.patientID,
            actorID: subject.actorID ?? actor?.principal.userID,
            actorRole: subject.actorRole ?? actor?.principal.role.rawValue,
            breakGlass: subject.breakGlass,
            reason: subject.reason,
            clientAddress: context.clientAddress,
            userAgent: request.headers[.userAgent].map { String($0.prefix(512)) },
            requestID: context.requestID,
            detail: subject.detail
        )
    }

    /// Runs a handler and records its outcome; see the type's documentation.
    func perform<Result>(
        _ action: AuditAction,
        request: Request,
        context: AppRequestContext,
        _ body: (inout AuditSubject) async throws -> Result
    ) async throws -> Result {
        var subject = AuditSubject()
        let result: Result
        do {
            result = try await body(&subject)
        } catch {
            let apiError = APIError.translating(error) ?? .unexpected
            subject.errorCode = apiError.code
            let outcome = subject.outcome ?? Self.outcome(for: apiError.status)
            try await append(
                entry(
                    subject.action ?? action,
                    outcome: outcome,
                    httpStatus: Int(apiError.status.code),
                    subject: subject,
                    request: request,
                    context: context
                )
            )
            throw error
        }
        if !subject.recorded {
            try await append(
                entry(
                    subject.action ?? action,
                    outcome: .success,
                    httpStatus: subject.httpStatus,
                    subject: subject,
                    request: request,
                    context: context
                )
            )
        }
        return result
    }

    /// How a refusal or failure counts: 5xx failed, 401/403 denied, other 4xx rejected.
    private static func outcome(for status: HTTPResponse.Status) -> AuditOutcome {
        switch status.code {
        case 500...: .failed
        case 401, 403: .denied
        default: .rejected
        }
    }

    /// Appends `entry`; a database that cannot be reached answers `database_unavailable` (the node will recover by
    /// itself), a full disk is answered as such (507, nothing to retry until space is freed), any other failure is
    /// `audit_unavailable`.
    private func append(_ entry: AuditEntry) async throws {
        do {
            try await database.appendAudit(entry)
        } catch .unavailable {
            throw APIError.databaseUnavailable
        } catch  where error == .storageFull {
            throw APIError.insufficientStorage
        } catch {
            throw APIError.auditUnavailable.causedBy(error)
        }
    }
}

/// What a handler tells the audit trail about the call as it learns it: which document, which status.
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
    /// Set when the handler wrote its audit rows itself, inside its own transaction.
    var recorded = false
}
