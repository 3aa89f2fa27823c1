import Hummingbird
import Persistence

/// Establishes who is calling before any route's handler runs (see ``Authenticator``), and marks state-changing
/// calls that ride on the session cookie without the session's CSRF token in `X-CSRF-Token` (see
/// ``CSRFProtection/requiresHeaderToken(_:route:)``: every path but the form routes, judged on the matched route).
///
/// It never refuses for missing credentials itself: handlers ask for a user and the audit trail records the
/// refusal. Bearer-token calls carry no ambient credential and need no CSRF token.
struct AuthenticationMiddleware: RouterMiddleware {
    let authenticator: Authenticator

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response
    {
        var context = context
        context.authentication = try await authenticator.authenticate(request, context: context)
        if case .authenticated(let user) = context.authentication, let session = user.session,
            CSRFProtection.requiresHeaderToken(request.method, route: context.endpointPath),
            !CSRFProtection.matches(request.headers[CSRFProtection.headerName], expected: session.csrfToken)
        {
            context.authentication = .missingCSRFToken(user)
        }
        return try await next(request, context)
    }
}
