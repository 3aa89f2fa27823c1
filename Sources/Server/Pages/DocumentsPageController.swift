import Access
import Audit
import Documents
import Foundation
import Hummingbird
import ObjectStorage
import Persistence

/// `/documents`: a patient's own documents, or the documents of the patient a provider picks from
/// their care team (`?patient=`), with the upload widget fixed to that patient. Administrators go to
/// `/storage`. Every view writes one `document.list` audit row, a refusal too.
struct DocumentsPageController: Sendable {
    let pages: PageRenderer
    let database: any AppDatabase
    let storage: StorageAccess
    let audit: AuditTrail
    /// The configured upload size limits, shown under the upload widget.
    let limits: SizeLimits

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("documents", use: show)
    }

    /// Values of `documents.mustache`.
    struct DocumentsPage: PageContent {
        let user: PageUser?
        let csrfToken: String?
        let heading: String
        let isProvider: Bool
        /// A provider's care team as `select#patient` options.
        let patients: [PageOption]
        let hasPatients: Bool
        /// A provider without patients, or a patient account without a patient id: nothing to list.
        let nothingToShow: String?
        let filter: FilterForm?
        let table: DocumentTable?
        let upload: UploadWidget?
        let storageNotice: String?
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        guard let viewer = PageSession.user(of: context) else { return PageSession.signInRedirect(context: context, pages: pages) }
        let principal = viewer.principal
        if principal.role == .admin { return pages.redirect(to: "/storage") }
        do {
            let page = try await audit.perform(.documentList, request: request, context: context) { recorder in
                switch principal.role {
                case .provider: try await providerPage(viewer: viewer, request: request, recorder: recorder)
                case .patient, .admin: try await patientPage(viewer: viewer, request: request, recorder: recorder)
                }
            }
            return pages.render(.documents, page)
        } catch {
            return PageProblem.response(
                for: error,
                viewer: viewer,
                forbiddenMessage: "You may not see these documents. Providers see the patients on their care team only.",
                pages: pages,
                context: context
            )
        }
    }

    /// A patient's own documents: everything the policy lets them list, which is their own folder.
    private func patientPage(viewer: AuthenticatedUser, request: Request, recorder: AuditRecorder) async throws -> DocumentsPage {
        guard let patientID = viewer.principal.patientID else {
            recorder.detail = "page=/documents (no patient id)"
            return page(
                viewer,
                heading: "Your documents",
                nothingToShow: "Your account is not linked to a patient record yet. Ask an administrator to link it."
            )
        }
        let (query, parameters) = try PageListing.query(of: request.uri.query, fixedPrefix: "")
        recorder.patientID = patientID.rawValue
        let table = try await PageListing(database: database, storage: storage)
            .table(query, parameters: parameters, viewer: viewer, page: "/documents", recorder: recorder)
        return page(
            viewer,
            heading: "Your documents",
            filter: FilterForm(action: "/documents", query: query, search: parameters.get("q"), keepsPrefix: false),
            table: table,
            upload: .fixed(entityType: .patient, entityID: patientID.rawValue, limits: limits)
        )
    }

    /// A provider's view of one care-team patient: `?patient=` or, without it, the first on the team.
    private func providerPage(viewer: AuthenticatedUser, request: Request, recorder: AuditRecorder) async throws -> DocumentsPage {
        let team = viewer.principal.careTeam.map(\.rawValue).sorted()
        let asked = QueryParameters(query: request.uri.query).get("patient").flatMap { $0.isEmpty ? nil : $0 }
        guard let chosen = asked ?? team.first else {
            recorder.detail = "page=/documents (empty care team)"
            return page(
                viewer,
                heading: "Patient documents",
                isProvider: true,
                nothingToShow: "No patients are on your care team yet. Ask an administrator to add you to a patient's care team."
            )
        }
        let patient = try EntityID(validating: chosen)
        // The prefix names the patient, so the policy decides it as reading that patient's documents:
        // someone outside the care team is refused (pages never offer break-glass).
        let prefix = "\(EntityType.patient.rootFolder)/\(patient.rawValue)/"
        let (query, parameters) = try PageListing.query(of: request.uri.query, fixedPrefix: prefix)
        let keep: [(String, String?)] = [("patient", patient.rawValue)]
        let table = try await PageListing(database: database, storage: storage)
            .table(query, parameters: parameters, viewer: viewer, page: "/documents", keep: keep, recorder: recorder)
        return page(
            viewer,
            heading: "Documents of patient \(patient.rawValue)",
            isProvider: true,
            patients: team.map { PageOption(value: $0, label: $0, selected: $0 == patient.rawValue) },
            filter: FilterForm(
                action: "/documents",
                query: query,
                search: parameters.get("q"),
                hidden: [FilterForm.HiddenField(name: "patient", value: patient.rawValue)],
                keepsPrefix: false
            ),
            table: table,
            upload: .fixed(entityType: .patient, entityID: patient.rawValue, limits: limits)
        )
    }

    private func page(
        _ viewer: AuthenticatedUser,
        heading: String,
        isProvider: Bool = false,
        patients: [PageOption] = [],
        nothingToShow: String? = nil,
        filter: FilterForm? = nil,
        table: DocumentTable? = nil,
        upload: UploadWidget? = nil
    ) -> DocumentsPage {
        DocumentsPage(
            user: viewer.pageUser,
            csrfToken: viewer.session?.csrfToken,
            heading: heading,
            isProvider: isProvider,
            patients: patients,
            hasPatients: !patients.isEmpty,
            nothingToShow: nothingToShow,
            filter: filter,
            table: table,
            upload: upload,
            storageNotice: StoragePageController.notice(storage)
        )
    }
}
