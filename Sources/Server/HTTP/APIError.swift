import Access
import Documents
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// An error as the API shows it: a status, a stable machine-readable `code` and a message safe to show.
///
/// Domain errors are translated into this at the web edge only (``APIError/init(translating:)``); the body
/// is always `{"error":{"code","message","requestId"}}` and never carries internals, paths or secrets.
package struct APIError: Error, HTTPResponseError {
    package let status: HTTPResponse.Status
    package let code: String
    package let message: String
    /// Extra response headers, such as `Retry-After` or `Content-Range` on a 416.
    package var headers: HTTPFields
    /// What made the server fail, for the log only (``FailureCause``); never shown to the client.
    package var cause: (any Error)?

    package init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// This error, remembering `cause` for the log: the client still sees only the status, code and message.
    package func causedBy(_ cause: any Error) -> APIError {
        var error = self
        error.cause = cause
        return error
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestID = context.logger[metadataKey: "hb.request.id"]?.description ?? "unknown"
        let body = ErrorBody(error: .init(code: code, message: message, requestId: requestID))
        let data = try JSONEncoder().encode(body)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private struct ErrorBody: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let requestId: String
        }
        let error: Detail
    }
}

extension APIError {
    /// A request parameter that is missing, repeated or out of range.
    package static func invalidParameter(_ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_parameter", message: message)
    }

    /// A required parameter is absent.
    package static func missingParameter(_ message: String) -> APIError {
        APIError(.badRequest, code: "missing_parameter", message: message)
    }

    /// A category medvault does not know; the message lists the valid ones.
    package static let invalidCategory = APIError(
        .badRequest,
        code: "invalid_category",
        message: "Unknown category. Valid categories: \(FileCategory.allCases.map(\.rawValue).joined(separator: ", "))."
    )

    /// An entity type medvault does not know; the message lists the valid ones.
    package static let invalidEntityType = APIError(
        .badRequest,
        code: "invalid_entity_type",
        message: "Unknown entityType. Valid types: \(EntityType.allCases.map(\.rawValue).joined(separator: ", "))."
    )

    /// No document has this key or id (or, later, the caller may not know that it exists).
    package static let documentNotFound = APIError(.notFound, code: "not_found", message: "No document with that key or id.")
    /// An `id` (in the query, the path or a JSON body) that is not a document id.
    package static let invalidDocumentID = invalidParameter("`id` must be a document id (a UUID).")

    /// A restore of a document that is not archived.
    package static let notArchived = APIError(.conflict, code: "not_archived", message: "The document is not archived; there is nothing to restore.")

    /// An archive, delete or other removal of a document under legal hold.
    package static let legalHold = APIError(
        .conflict,
        code: "legal_hold",
        message: "The document is under legal hold; release the hold before archiving or deleting it."
    )

    /// The catch-all for errors we did not expect; the details go to the log, not to the client.
    package static let unexpected = APIError(
        .internalServerError,
        code: "internal_error",
        message: "The server could not complete the request. Quote the request id when reporting this."
    )

    /// The audit row could not be written, so the operation does not count as done.
    package static let auditUnavailable = APIError(
        .serviceUnavailable,
        code: "audit_unavailable",
        message: "The audit trail could not be written; the operation was not performed.",
        headers: [.retryAfter: "5"]
    )

    /// The database server cannot be reached (PostgreSQL down or restarting); nothing was done, and the same
    /// request may succeed once it is back. The node reconnects by itself.
    package static let databaseUnavailable = APIError(
        .serviceUnavailable,
        code: "database_unavailable",
        message: "The database is unavailable; the request was not performed. Try again shortly.",
        headers: [.retryAfter: "5"]
    )

    /// The disk under the store or the database is full: nothing was stored, and retrying will not help until
    /// an operator frees space (507, RFC 4918 §11.5), so no `Retry-After`.
    package static let insufficientStorage = APIError(
        HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"),
        code: "insufficient_storage",
        message: "The server has no room left to store this; nothing was stored."
    )

    /// The request's credentials are missing or not accepted.
    package static func unauthenticated(_ failure: AuthenticationFailure) -> APIError {
        APIError(.unauthorized, code: failure.code, message: failure.message, headers: [.wwwAuthenticate: "Bearer"])
    }

    /// The access policy refused; the message says what would be allowed, never whose the document is.
    package static func forbidden(_ denial: AccessDenial) -> APIError {
        let message =
            switch denial {
            case .notPermitted: "You may not do this with this document."
            case .adminOnly: "Only administrators may do this."
            case .breakGlassRequired:
                "This patient is not on your care team. In an emergency, repeat the request with an X-Break-Glass-Reason header; it will be audited."
            case .deleteWindowClosed: "Patients may delete a document they uploaded only within 24 hours."
            }
        return APIError(.forbidden, code: denial.code, message: message)
    }

    /// A request path with empty, `.` or `..` segments or an encoded `/`, `\` or `.` (see ``CanonicalPathMiddleware``).
    package static let invalidPath = APIError(
        .badRequest,
        code: "invalid_path",
        message: "The request path is not canonical: no empty, `.` or `..` segments and no encoded `/`, `\\` or `.`."
    )

    /// A routed path called with a method it does not serve; `allow` lists the ones it does (RFC 9110 §10.2.1).
    package static func methodNotAllowed(allow: String) -> APIError {
        APIError(.methodNotAllowed, code: "method_not_allowed", message: "That method is not allowed here; use \(allow).", headers: [.allow: allow])
    }

    /// A JSON endpoint was sent a body that is not declared `Content-Type: application/json`.
    package static let expectedJSON = APIError(
        .unsupportedMediaType,
        code: "expected_json",
        message: "Send the body as JSON, with Content-Type: application/json."
    )

    /// A cookie-authenticated state change without the session's CSRF token.
    package static let csrfFailed = APIError(
        .forbidden,
        code: "csrf_failed",
        message: "The request lacks this session's CSRF token (form field `csrf_token` or header X-CSRF-Token)."
    )
}
