import Logging
import ObjectStorage
import SigV4

/// Why a check failed, in a sentence that is safe to show: storage errors by their code and client-safe message,
/// verifier refusals by their code, anything unexpected only as "see the server log".
struct SelfCheckFailure: Error {
    let detail: String
    /// The cause, for the server's log.
    let underlying: (any Error)?

    init(_ detail: String, underlying: (any Error)? = nil) {
        self.detail = detail
        self.underlying = underlying
    }

    /// "`doing` failed: storage_denied: The storage backend refused the operation."
    init(_ doing: String, error: any Error) {
        if let failure = error as? SelfCheckFailure {
            self = failure
            return
        }
        self.init("\(doing) failed: \(Self.safeDescription(of: error))", underlying: error)
    }

    /// A description of `error` without paths, keys, URLs or key material.
    static func safeDescription(of error: any Error) -> String {
        switch error {
        case let error as StorageError: error.description
        case let error as SigV4VerificationError: "\(error.code): \(error.message)"
        case let error as PresignedURLFetcher.Failure: error.message
        default: "unexpected error (see the server log)"
        }
    }
}

extension SelfCheck {
    /// Runs `body`, turning whatever it throws into a ``SelfCheckFailure`` that names what was being done.
    func attempt<Value>(_ doing: String, _ body: () async throws -> Value) async throws(SelfCheckFailure) -> Value {
        do {
            return try await body()
        } catch {
            throw SelfCheckFailure(doing, error: error)
        }
    }
}
