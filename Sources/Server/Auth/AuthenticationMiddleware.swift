import Persistence
import Hummingbird

/// Establishes who is calling before any route runs (see ``Authenticator``), and marks state-changing API
/// calls that ride on the session cookie without the session's CSRF token in `X-CSRF-Token`.
///
/// It never refuses for missing credentials itself: handlers ask for a user and the audit trail records the
/// refusal. Bearer-token calls carry no ambient credential and need no CSRF token.
struct AuthenticationMiddleware: RouterMiddleware {
    let authenticator: Authenticator

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.authentication = try await authenticator.authenticate(request, context: context)
        if case .authenticated(let user) = context.authentication, let session = user.session,
            CSRFProtection.isStateChanging(request.method), request.uri.path.hasPrefix("/api/"),
            !CSRFProtection.matches(request.headers[CSRFProtection.headerName], expected: session.csrfToken)
        {
            context.authentication = .missingCSRFToken(user)
        }
        return try await next(request, context)
    }
}
