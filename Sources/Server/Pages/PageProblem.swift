import Access
import Hummingbird
import Logging
import Persistence

/// An error page for a signed-in user (the header still shows who they are): the API's status and, for
/// requests that could not be understood, its message; never internals. Failures (5xx) are logged with their
/// cause (``FailureCause``); unexpected errors are answered with a generic 500.
struct PageProblem: PageContent {
    let user: PageUser?
    let csrfToken: String?
    let heading: String
    let message: String
    let requestID: String
    let backLink: PageBackLink?

    /// The page for `error`, thrown while building a page for `viewer`.
    static func response(
        for error: any Error,
        viewer: AuthenticatedUser,
        forbiddenMessage: String,
        pages: PageRenderer,
        context: AppRequestContext
    ) -> Response {
        let apiError = APIError.translating(error) ?? .unexpected
        if apiError.status.code >= 500 {
            FailureCause.log(error, answeredAs: apiError, to: context.logger)
        }
        let (heading, message): (String, String) =
            switch apiError.status.code {
            case 400: ("That request could not be understood", apiError.message)
            case 403: ("Not allowed", forbiddenMessage)
            case 404: ("Not found", "There is nothing here.")
            case 503 where apiError.code == APIError.databaseUnavailable.code: ("The database is unavailable", apiError.message)
            case 503: ("Storage is unavailable", apiError.message)
            default: ("Something went wrong", "The page could not be shown. Try again; if it keeps failing, quote the request id below.")
            }
        let home = viewer.principal.role == .admin ? "/storage" : "/documents"
        let page = PageProblem(
            user: viewer.pageUser,
            csrfToken: viewer.session?.csrfToken,
            heading: heading,
            message: message,
            requestID: context.requestID,
            backLink: PageBackLink(href: home, label: home == "/storage" ? "Back to storage" : "Back to your documents")
        )
        return pages.render(.error, page, status: apiError.status)
    }
}

/// A link out of an error page.
struct PageBackLink: Sendable {
    let href: String
    let label: String
}
