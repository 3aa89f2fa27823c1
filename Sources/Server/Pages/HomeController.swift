import Access
import Hummingbird
import Persistence

/// `/`: the signed-in user's start page. Without a valid session it sends the browser to `/login`, with a
/// note when the session ended by the idle timeout (automatic logoff).
struct HomeController: Sendable {
    let pages: PageRenderer
    let idleTimeout: Double

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: show)
    }

    /// Values of the start page.
    struct HomePage: PageContent {
        let user: PageUser?
        let csrfToken: String?
        let idleMinutes: Int
        /// Where the signed-in user works: `/storage` for administrators, `/documents` for everyone else.
        let startPage: String
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = PageSession.user(of: context) else { return PageSession.signInRedirect(context: context, pages: pages) }
        // Browsers move on to the start page at once (an instant meta refresh, no script); `/` itself stays a
        // 200 page with the session's CSRF token, which API clients of the session read.
        let startPage = user.principal.role == .admin ? "/storage" : "/documents"
        return pages.render(
            .home,
            HomePage(user: user.pageUser, csrfToken: user.session?.csrfToken, idleMinutes: Int(idleTimeout / 60), startPage: startPage)
        )
    }
}

/// How pages treat the caller: only session users see pages; anyone else is sent to sign in.
enum PageSession {
    /// The session user, if the request came with a live session.
    static func user(of context: AppRequestContext) -> AuthenticatedUser? {
        guard case .authenticated(let user) = context.authentication, user.session != nil else { return nil }
        return user
    }

    /// A redirect to `/login`, saying so when the session had expired.
    static func signInRedirect(context: AppRequestContext, pages: PageRenderer) -> Response {
        if case .failed(.sessionExpired) = context.authentication { return pages.redirect(to: "/login?expired=1") }
        return pages.redirect(to: "/login")
    }
}

extension AuthenticatedUser {
    /// The user as the page header shows them.
    var pageUser: PageUser {
        PageUser(displayName: user.displayName ?? user.email, role: principal.role.rawValue)
    }
}
