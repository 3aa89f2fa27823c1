import Access
import Persistence

/// What the credentials of a request established; set by ``AuthenticationMiddleware`` on every request and
/// turned into a 401 only by handlers that need a user, so that refusals are audited like everything else.
package enum Authentication: Sendable {
    /// No credentials were sent.
    case anonymous
    /// Credentials were sent and refused.
    case failed(AuthenticationFailure)
    /// A user, by session cookie or bearer token.
    case authenticated(AuthenticatedUser)
    /// A session user whose state-changing API call lacked the session's CSRF token; refused as
    /// `csrf_failed` by the handler, inside the audit trail, with the user named in the row.
    case missingCSRFToken(AuthenticatedUser)
}

/// An authenticated caller: the policy's view of them, their stored record, and how they proved it.
package struct AuthenticatedUser: Sendable {
    package let principal: Principal
    package let user: UserRecord
    /// The browser session, when they came with the session cookie (bearer tokens have none).
    package let session: SessionRecord?
}
