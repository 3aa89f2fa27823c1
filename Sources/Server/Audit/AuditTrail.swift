import Access
import Audit
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Persistence

/// Writes the audit row of every API call, successful or not (DESIGN.md, "Audit").
///
/// Handlers run inside ``perform(_:request:context:_:)`` and talk to it through their ``AuditRecorder``: if the
/// handler succeeds without committing a change (a read), one success row is appended before the response goes out;
/// a handler that changes data commits its row inside the change's own transaction, and nothing more is written; if
/// it throws, one row describing the rejection or failure is appended and the error is rethrown. If that row cannot be written, the call fails with
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
        _ body: (AuditRecorder) async throws -> Result
    ) async throws -> Result {
        let recorder = AuditRecorder(trail: self, action: action, request: request, context: context)
        let result: Result
        do {
            result = try await body(recorder)
        } catch {
            // A change committed with its row is in the trail; what failed after it adds no second row.
            guard !recorder.committed else { throw error }
            var subject = recorder.subject
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
        if !recorder.committed {
            let subject = recorder.subject
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

    /// Appends the row of a failure that came after the call's success row: a streamed answer cut short once its
    /// status was sent (an export whose document could not be read). The success row stays, true when it was written;
    /// this one says how the call ended. The answer is already broken, so a row that cannot be written is logged only.
    func appendFailureAfterResponse(_ action: AuditAction, subject: AuditSubject, request: Request, context: AppRequestContext) async {
        do {
            try await append(entry(action, outcome: .failed, httpStatus: subject.httpStatus, subject: subject, request: request, context: context))
        } catch {
            context.logger.error("the audit row of a response cut short could not be written", metadata: ["error.type": "\(type(of: error))"])
        }
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
