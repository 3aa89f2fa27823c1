import Access
import Audit
import Documents
import Foundation
import Hummingbird
import ObjectStorage
import Persistence

/// `/storage`: the administrators' page. Stat cards from the index totals, the documents table
/// with filter, search, folder browsing and paging, and the upload widget. Every view writes one
/// `document.list` audit row (a refusal too), because the table shows file names.
struct StoragePageController: Sendable {
    let pages: PageRenderer
    let database: any AppDatabase
    let storage: StorageAccess
    let audit: AuditTrail
    /// The configured upload size limits, shown under the upload widget.
    let limits: SizeLimits

    /// How many recent uploads the page lists.
    static let recentUploads = 5

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("storage", use: show)
    }

    /// Values of `storage.mustache`.
    struct StoragePage: PageContent {
        let user: PageUser?
        let csrfToken: String?
        let stats: StatCards
        let filter: FilterForm
        let breadcrumbs: [Breadcrumb]
        let table: DocumentTable
        let upload: UploadWidget
        /// Why uploads will fail right now (storage disabled or not configured), if they will.
        let storageNotice: String?
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        guard let viewer = PageSession.user(of: context) else { return PageSession.signInRedirect(context: context, pages: pages) }
        do {
            let page = try await audit.perform(.documentList, request: request, context: context) { recorder in
                try context.requireAdministrator()
                let (query, parameters) = try PageListing.query(of: request.uri.query)
                let table = try await PageListing(database: database, storage: storage)
                    .table(query, parameters: parameters, viewer: viewer, page: "/storage", browse: true, recorder: recorder)
                let stats = try await database.stats(recentLimit: Self.recentUploads)
                return StoragePage(
                    user: viewer.pageUser,
                    csrfToken: viewer.session?.csrfToken,
                    stats: StatCards(stats),
                    filter: FilterForm(action: "/storage", query: query, search: parameters.get("q")),
                    breadcrumbs: Breadcrumbs.trail(prefix: query.prefix.rawValue, page: "/storage"),
                    table: table,
                    upload: .forAdministrator(limits: limits),
                    storageNotice: Self.notice(storage)
                )
            }
            return pages.render(.storage, page)
        } catch {
            return PageProblem.response(
                for: error,
                viewer: viewer,
                forbiddenMessage: "Only administrators can open storage. Your documents are on the documents page.",
                pages: pages,
                context: context
            )
        }
    }

    /// Why the store cannot take uploads, or nil when it can.
    static func notice(_ storage: StorageAccess) -> String? {
        do {
            _ = try storage.store()
            return nil
        } catch {
            return error.message
        }
    }
}

/// The stat cards of `/storage`.
struct StatCards: Sendable {
    struct Tally: Sendable {
        let label: String
        let count: Int
        let size: String
    }
    struct Recent: Sendable {
        let fileName: String
        let category: String
        let uploadedAt: String
        let uploadedAtISO: String
    }

    let documents: Int
    let bytes: String
    let archived: Int
    let archivedBytes: String
    let byCategory: [Tally]
    let byType: [Tally]
    let hasTypes: Bool
    let recent: [Recent]
    let hasRecent: Bool

    init(_ stats: DocumentStats) {
        documents = stats.totalCount
        bytes = PageFormat.byteCount(stats.totalBytes)
        archived = stats.archivedCount
        archivedBytes = PageFormat.byteCount(stats.archivedBytes)
        byCategory = FileCategory.allCases.map { category in
            let totals = stats.byCategory[category] ?? .zero
            return Tally(label: PageOption.label(of: category), count: totals.count, size: PageFormat.byteCount(totals.bytes))
        }
        byType = stats.byContentType.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.map {
            Tally(label: DocumentRow.typeName(of: $0.key), count: $0.value.count, size: PageFormat.byteCount($0.value.bytes))
        }
        hasTypes = !byType.isEmpty
        recent = stats.recent.map {
            Recent(
                fileName: $0.fileName,
                category: $0.category.rawValue,
                uploadedAt: PageFormat.minute($0.uploadedAt),
                uploadedAtISO: PageFormat.machineInstant($0.uploadedAt)
            )
        }
        hasRecent = !recent.isEmpty
    }
}

/// `form#filter-form`: category, file-name search, and the browsed prefix (hidden).
struct FilterForm: Sendable {
    let action: String
    let categories: [PageOption]
    let search: String
    let prefix: String
    /// Extra hidden fields the page keeps (a provider's chosen patient).
    let hidden: [HiddenField]

    struct HiddenField: Sendable {
        let name: String
        let value: String
    }

    init(action: String, query: ListQuery, search: String?, hidden: [HiddenField] = [], keepsPrefix: Bool = true) {
        self.action = action
        categories = PageOption.categories(selected: query.category?.rawValue, includingAll: true)
        self.search = search ?? ""
        prefix = keepsPrefix ? query.prefix.rawValue : ""
        self.hidden = hidden
    }
}
