import Audit
import ContentValidation
import Documents
import HTTPTypes
import Hummingbird
import Multipart
import NIOCore
import ObjectStorage
import Persistence
import Scanning

extension APIError {
    /// The API's view of an error thrown anywhere below the web edge, or nil for an unexpected error
    /// (which the caller logs and answers with ``internalError``).
    ///
    /// This is the one place where domain errors meet HTTP statuses, so each code maps to one status.
    package static func translating(_ error: any Error) -> APIError? {
        switch error {
        case let error as APIError:
            return error
        case let error as KeyLayoutError:
            return APIError(.badRequest, code: error.code, message: error.message)
        case let error as UploadRejection:
            return APIError(.init(code: error.httpStatus), code: error.code, message: error.message)
        case let error as MultipartError:
            let status: HTTPResponse.Status = error.code == MultipartError.limitExceededCode ? .contentTooLarge : .badRequest
            return APIError(status, code: error.code, message: error.message)
        case let error as StorageError:
            return translating(storage: error)
        case let error as HTTPError:
            return translating(http: error)
        case let error as PersistenceError:
            return translating(persistence: error)
        case is ScanError:
            return .scannerUnavailable
        case is MalwareFinding:
            return .malwareDetected
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, code: "body_too_large", message: "The request body is too large.")
        default:
            return nil
        }
    }

    private static func translating(storage error: StorageError) -> APIError {
        switch error.code {
        case "not_found":
            return .documentNotFound
        case "storage_denied":
            return APIError(.badGateway, code: error.code, message: "The storage backend refused the request.")
        case "storage_unavailable":
            let retry = error.retryAfter ?? 5
            return APIError(
                .serviceUnavailable,
                code: error.code,
                message: "The storage backend is unavailable; try again shortly.",
                headers: [.retryAfter: String(retry)]
            )
        case "insufficient_storage":
            return .insufficientStorage
        case "storage_integrity":
            return APIError(.internalServerError, code: error.code, message: "The stored object failed its integrity check.")
        default:
            return APIError(.internalServerError, code: "storage_failure", message: "The storage backend failed.")
        }
    }

    private static func translating(persistence error: PersistenceError) -> APIError? {
        if error == .notFound { return .documentNotFound }
        if error == .alreadyArchived { return APIError(.conflict, code: "already_archived", message: "The document is already archived.") }
        if error == .notArchived { return .notArchived }
        if error == .legalHold { return .legalHold }
        if error == .notHeld { return APIError(.conflict, code: "not_held", message: "The document is not under legal hold.") }
        if error == .keyConflict { return APIError(.conflict, code: "key_conflict", message: "A document with this key already exists.") }
        if error == .unavailable { return .databaseUnavailable }
        if error == .storageFull { return .insufficientStorage }
        if error == .uploadAbandoned {
            return APIError(
                .requestTimeout,
                code: "upload_expired",
                message: "The upload took longer than the server waits for an unfinished upload; nothing was stored. Send it again."
            )
        }
        return nil  // database failures are unexpected: logged and answered as internal errors
    }

    private static func translating(http error: HTTPError) -> APIError {
        switch error.status {
        case .notFound:
            return APIError(.notFound, code: "not_found", message: "No such endpoint.")
        case .methodNotAllowed:
            return APIError(.methodNotAllowed, code: "method_not_allowed", message: "That method is not allowed here.")
        case .contentTooLarge:
            return APIError(.contentTooLarge, code: "body_too_large", message: "The request body is too large.")
        default:
            let code = error.status.code < 500 ? "bad_request" : "internal_error"
            return APIError(error.status, code: code, message: error.status.reasonPhrase)
        }
    }
}
