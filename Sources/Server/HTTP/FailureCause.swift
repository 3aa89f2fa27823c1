import HTTPTypes
import Logging
import ObjectStorage

/// Why the server failed a request, as its log shows it: the chain of error types from the one the handler threw
/// down to the root cause (a system call, SQLite, S3), with each error's message.
///
/// A 5xx answer tells the client only a code and the request id; this is what an operator reads next to that
/// request id. Messages are scrubbed (``LogRedaction``) because an error's text may quote a file name, an object
/// key or an SQL statement, and keys carry patient ids: no PHI in logs.
struct FailureCause: Sendable {
    /// The errors' types, outermost first: `StorageError > SystemCallError`.
    let types: String
    /// Their scrubbed messages, in the same order.
    let message: String

    /// Follows `error`'s causes: an ``APIError``'s `cause`, a `StorageError`'s `underlying`. Other errors end the chain.
    init(_ error: any Error) {
        var types: [String] = []
        var messages: [String] = []
        var next: (any Error)? = error
        while let current = next, types.count < 8 {
            types.append(String(describing: type(of: current)))
            let (message, cause) = Self.describe(current)
            messages.append(LogRedaction.scrub(message))
            next = cause
        }
        self.types = types.joined(separator: " > ")
        self.message = messages.joined(separator: " > ")
    }

    /// Logs the failure of a request answered with `answer` (a 5xx) at `.error`; `logger` carries the request id.
    static func log(_ error: any Error, answeredAs answer: APIError, to logger: Logger) {
        let cause = FailureCause(error)
        logger.error(
            "request failed",
            metadata: [
                "error.code": .string(answer.code),
                "http.status": .stringConvertible(answer.status.code),
                "error.type": .string(cause.types),
                "error.message": .string(cause.message),
            ]
        )
    }

    /// One link of the chain: the error's own message and the error behind it, if the type keeps one.
    private static func describe(_ error: any Error) -> (message: String, cause: (any Error)?) {
        switch error {
        case let error as APIError: ("\(error.code): \(error.message)", error.cause)
        case let error as StorageError: (error.description, error.underlying)
        default: (String(describing: error), nil)
        }
    }
}
