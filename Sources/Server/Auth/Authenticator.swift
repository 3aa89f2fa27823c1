import Access
import Audit
import Documents
import Foundation
import Hummingbird
import JWTKit
import Persistence

/// Turns a request's credentials into an ``Authentication``: a bearer token (API clients) or the session
/// cookie (browsers), checked against the users table on every request, so that disabling a user, changing
/// their role or their care team takes effect at once.
struct Authenticator: Sendable {
    let database: any AppDatabase
    let tokens: BearerTokens
    let settings: AuthSettings
    let now: @Sendable () -> Date

    /// Authenticates `request`; a bearer token wins over a cookie when both are sent.
    func authenticate(_ request: Request, context: AppRequestContext) async throws -> Authentication {
        if let authorization = request.headers[.authorization] {
            return try await authenticateBearer(authorization)
        }
        if let token = SessionCookie.value(named: SessionCookie.sessionName, in: request) {
            return try await authenticateSession(token, request: request, context: context)
        }
        return .anonymous
    }

    private func authenticateBearer(_ authorization: String) async throws -> Authentication {
        guard authorization.count > 7, authorization.prefix(7).lowercased() == "bearer " else { return .failed(.invalidToken) }
        let claims: TokenClaims
        do throws(AuthenticationFailure) {
            claims = try await tokens.verify(String(authorization.dropFirst(7)))
        } catch {
            return .failed(error)
        }
        guard let user = try await findUser(subject: claims.sub.value), !user.disabled,
            user.role.rawValue == claims.role, user.role != .patient || claims.patientID == user.patientID
        else { return .failed(.unknownOrDisabledUser) }
        return .authenticated(AuthenticatedUser(principal: try await principal(for: user), user: user, session: nil))
    }

    /// A live session's user; an idle or too old session is ended here and its automatic logoff audited.
    private func authenticateSession(_ token: String, request: Request, context: AppRequestContext) async throws -> Authentication {
        let tokenHash = SessionCookie.hash(token)
        guard let (session, user) = try await database.session(tokenHash: tokenHash) else { return .failed(.sessionExpired) }
        let now = now()
        let idle = now.timeIntervalSince(session.lastSeenAt) >= settings.sessionIdleTimeout
        if idle || now >= session.expiresAt || user.disabled {
            let entry = AuditEntry(
                occurredAt: now,
                action: .authSessionExpired,
                outcome: .success,
                actorID: user.id.lowercaseText,
                actorRole: user.role.rawValue,
                clientAddress: context.clientAddress,
                requestID: context.requestID,
                detail: idle ? "idle for \(Int(settings.sessionIdleTimeout)) s or more" : (user.disabled ? "account disabled" : "maximum age reached")
            )
            try await database.deleteSession(tokenHash: tokenHash, audit: entry)
            return .failed(.sessionExpired)
        }
        try await database.touchSession(tokenHash: tokenHash, at: now)
        return .authenticated(AuthenticatedUser(principal: try await principal(for: user), user: user, session: session))
    }

    /// The user a token's `sub` names: by medvault id, else by e-mail (what an identity provider knows).
    private func findUser(subject: String) async throws -> UserRecord? {
        if let id = UUID(parsing: subject), let user = try await database.user(id: id) { return user }
        return try await database.user(email: subject)
    }

    /// The policy's view of `user`, with their current relations: a provider's care team, a patient's care
    /// providers, and either's appointments. Each is one indexed read, made on every request, so a change (or a
    /// disabled account, refused before this) takes effect at once.
    func principal(for user: UserRecord) async throws -> Principal {
        let patientID = user.patientID.flatMap { try? EntityID(validating: $0) }
        let providerID = user.providerID.flatMap { try? EntityID(validating: $0) }
        var careTeam: [String] = []
        var careProviders: [String] = []
        var appointments: [String] = []
        switch user.role {
        case .provider:
            careTeam = try await database.careTeam(providerUserID: user.id)
            if let providerID { appointments = try await database.appointmentIDs(of: .provider(providerID.rawValue)) }
        case .patient:
            if let patientID {
                careProviders = try await database.careProviders(patientID: patientID.rawValue)
                appointments = try await database.appointmentIDs(of: .patient(patientID.rawValue))
            }
        case .admin:
            break
        }
        return Principal(
            userID: user.id.lowercaseText,
            role: user.role,
            patientID: patientID,
            providerID: providerID,
            careTeam: Self.entityIDs(careTeam),
            careProviders: Self.entityIDs(careProviders),
            appointments: Self.entityIDs(appointments)
        )
    }

    private static func entityIDs(_ ids: [String]) -> Set<EntityID> {
        Set(ids.compactMap { try? EntityID(validating: $0) })
    }
}
