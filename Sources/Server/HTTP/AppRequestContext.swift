import Access
import Hummingbird
import Logging
import NIOCore

/// The request context of every medvault route: Hummingbird's core storage plus who is calling from where.
///
/// The client address is captured once from the channel, because the audit trail records it for every call.
package struct AppRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The peer's IP address, for the audit trail.
    package let clientAddress: String?
    /// Who is calling, set by ``AuthenticationMiddleware`` before any route runs.
    package var authentication: Authentication = .anonymous

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Only small JSON bodies are collected; uploads stream and are bounded by the upload policy instead.
    package var maxUploadSize: Int { 64 * 1024 }

    /// The id Hummingbird gave this request; it is returned as `X-Request-Id` and in every error body.
    package var requestID: String {
        logger[metadataKey: "hb.request.id"]?.description ?? "unknown"
    }

    /// The signed-in caller, or the 401 their credentials earned; handlers call this inside the audit trail
    /// so that every refusal is recorded.
    func requireUser() throws -> AuthenticatedUser {
        switch authentication {
        case .authenticated(let user): return user
        case .anonymous: throw APIError.unauthenticated(.missingCredentials)
        case .failed(let failure): throw APIError.unauthenticated(failure)
        case .missingCSRFToken: throw APIError.csrfFailed
        }
    }

    /// The signed-in caller's principal (see ``requireUser()``).
    func requirePrincipal() throws -> Principal {
        try requireUser().principal
    }

    /// The signed-in administrator, or a 401/403 (statistics, configuration, users, care teams, audit).
    @discardableResult
    func requireAdministrator() throws -> Principal {
        let principal = try requirePrincipal()
        if case .denied(let denial) = AccessPolicy.decideAdministration(principal: principal) { throw APIError.forbidden(denial) }
        return principal
    }
}
