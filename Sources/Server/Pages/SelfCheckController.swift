import Access
import Audit
import Foundation
import Hummingbird
import Persistence
import SelfCheck

/// `/test/s3`: runs the storage self-check against the configured backend and shows every check with
/// its status, duration and detail. `GET` runs it; the page's re-run form `POST`s with the session's CSRF token.
///
/// Only administrators may run it, in every environment: the page shows where and how documents are stored (the
/// data directory, the bucket, the key's source), which is no one else's business. Anyone else signed in gets a 403
/// page, and a caller without a session is sent to sign in. Every run, and every refusal, writes one
/// `storage.selftest` audit row, whose detail counts the checks and failures.
struct SelfCheckController: Sendable {
    let pages: PageRenderer
    let selfCheck: SelfCheck
    let audit: AuditTrail

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("test/s3", use: show)
        router.post("test/s3", use: rerun)
    }

    /// Values of `selftest.mustache`.
    struct SelfCheckPage: PageContent {
        /// One row of `table#selftest-results`.
        struct Row: Sendable {
            let id: String
            let name: String
            let status: String
            let duration: String
            let detail: String
        }

        let user: PageUser?
        let csrfToken: String?
        let checks: [Row]
        let summary: String
        let passed: Bool
        /// The store checked (backend and location), or why there is none.
        let store: String
        let ranAt: String
        let ranAtMachine: String
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        try await respond(to: request, context: context, checkingForm: false)
    }

    @Sendable func rerun(request: Request, context: AppRequestContext) async throws -> Response {
        try await respond(to: request, context: context, checkingForm: true)
    }

    private func respond(to request: Request, context: AppRequestContext, checkingForm: Bool) async throws -> Response {
        guard let viewer = PageSession.user(of: context), let session = viewer.session else {
            return PageSession.signInRedirect(context: context, pages: pages)
        }
        do {
            let report = try await audit.perform(.storageSelftest, request: request, context: context) { recorder in
                guard viewer.principal.role == .admin else {
                    throw APIError(.forbidden, code: "forbidden", message: "Only administrators may run the storage self-check.")
                }
                if checkingForm {
                    let form = try await LoginController.form(of: request)
                    try CSRFProtection.verify(form.get(CSRFProtection.formField), expected: session.csrfToken)
                }
                let report = await selfCheck.run(logger: context.logger)
                recorder.detail = report.auditDetail
                return report
            }
            return pages.render(.selftest, page(for: report, viewer: viewer))
        } catch {
            let csrf = (error as? APIError)?.code == APIError.csrfFailed.code
            return PageProblem.response(
                for: error,
                viewer: viewer,
                forbiddenMessage: csrf
                    ? "The re-run form has expired. Reload the self-check page and run it again."
                    : "Only administrators can run the storage self-check.",
                pages: pages,
                context: context
            )
        }
    }

    private func page(for report: SelfCheckReport, viewer: AuthenticatedUser) -> SelfCheckPage {
        SelfCheckPage(
            user: viewer.pageUser,
            csrfToken: viewer.session?.csrfToken,
            checks: report.results.map {
                SelfCheckPage.Row(id: $0.id, name: $0.name, status: $0.status.rawValue, duration: $0.formattedDuration, detail: $0.detail)
            },
            summary: report.summary,
            passed: report.passed,
            store: report.backend,
            ranAt: PageFormat.minute(report.startedAt),
            ranAtMachine: PageFormat.machineInstant(report.startedAt)
        )
    }
}
