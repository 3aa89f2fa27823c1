import Audit
import Foundation
import HTTPTypes
import Hummingbird
import Persistence

/// `/login` and `/logout`: the sign-in form, password sign-in into a session cookie, and sign-out.
///
/// The form is protected against login CSRF with a double-submit token: `GET /login` sets a random
/// `medvault_login_csrf` cookie and puts the same value in the form's `csrf_token` field; `POST /login`
/// refuses unless both agree. Sign-out needs the session's own CSRF token.
struct LoginController: Sendable {
    let pages: PageRenderer
    let signIn: SignIn
    let database: any AppDatabase
    let audit: AuditTrail
    /// Whether cookies get `Secure` (served over TLS).
    let secureCookies: Bool

    /// The largest sign-in or sign-out form accepted.
    static let maxFormBytes = 8 * 1024

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("login", use: show)
        router.post("login", use: submit)
        router.post("logout", use: logout)
    }

    /// Values of the sign-in page.
    struct LoginPage: PageContent {
        let user: PageUser? = nil
        let csrfToken: String? = nil
        let loginCSRF: String
        var email = ""
        var failed = false
        var expired = false
        var signedOut = false
        /// Seconds until a throttled sign-in may be repeated (`too_many_requests`); nil when not throttled.
        var retryAfter: Int?
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        if case .authenticated = context.authentication { return pages.redirect(to: "/") }
        let query = QueryParameters(query: request.uri.query)
        var page = LoginPage(loginCSRF: SessionCookie.newToken())
        page.expired = query.get("expired") != nil
        page.signedOut = query.get("signedOut") != nil
        return loginPage(page, status: .ok)
    }

    @Sendable func submit(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.form(of: request)
        let email = form.get("email") ?? ""
        guard let cookie = SessionCookie.value(named: SessionCookie.loginCSRFName, in: request),
            let sent = form.get(CSRFProtection.formField), SessionCookie.constantTimeEquals(cookie, sent)
        else {
            return pages.render(
                .error,
                ErrorPage(heading: "Sign-in form expired", message: "Reload the sign-in page and try again.", requestID: context.requestID),
                status: .forbidden
            )
        }
        let opened: SignIn.OpenedSession
        var page = LoginPage(loginCSRF: SessionCookie.newToken())
        page.email = email
        switch try await signIn.signIn(email: email, password: form.get("password") ?? "", request: request, context: context) {
        case .opened(let session):
            opened = session
        case .failed:
            page.failed = true
            return loginPage(page, status: .unauthorized)
        case .throttled(let retryAfter):
            page.retryAfter = retryAfter
            return loginPage(page, status: .tooManyRequests, headers: [.retryAfter: String(retryAfter)])
        }
        var headers = HTTPFields()
        headers.append(
            HTTPField(name: .setCookie, value: SessionCookie.header(name: SessionCookie.sessionName, value: opened.token, secure: secureCookies))
        )
        headers.append(
            HTTPField(name: .setCookie, value: SessionCookie.header(name: SessionCookie.loginCSRFName, value: "", secure: secureCookies, maxAge: 0))
        )
        return pages.redirect(to: "/", headers: headers)
    }

    @Sendable func logout(request: Request, context: AppRequestContext) async throws -> Response {
        guard case .authenticated(let user) = context.authentication, let session = user.session else {
            return pages.redirect(to: "/login")
        }
        let form = try await Self.form(of: request)
        try CSRFProtection.verify(form.get(CSRFProtection.formField), expected: session.csrfToken)
        let entry = audit.entry(.authSignOut, outcome: .success, httpStatus: 303, subject: AuditSubject(), request: request, context: context)
        _ = try await database.deleteSession(tokenHash: session.tokenHash, audit: entry)
        let clear = SessionCookie.header(name: SessionCookie.sessionName, value: "", secure: secureCookies, maxAge: 0)
        return pages.redirect(to: "/login?signedOut=1", headers: [.setCookie: clear])
    }

    private func loginPage(_ page: LoginPage, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.setCookie] = SessionCookie.header(name: SessionCookie.loginCSRFName, value: page.loginCSRF, secure: secureCookies)
        return pages.render(.login, page, status: status, headers: headers)
    }

    /// An `application/x-www-form-urlencoded` body.
    static func form(of request: Request) async throws -> QueryParameters {
        let body = try await request.body.collect(upTo: maxFormBytes)
        return QueryParameters(query: String(buffer: body))
    }
}

/// Values of the error page.
struct ErrorPage: PageContent {
    let user: PageUser? = nil
    let csrfToken: String? = nil
    let heading: String
    let message: String
    let requestID: String
}
