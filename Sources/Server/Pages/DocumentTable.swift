import Access
import Documents
import Foundation
import ObjectStorage
import Persistence

/// The documents table partial (`table#documents-table`) and what surrounds it: rows, the next-page link,
/// folders to browse into, and which empty state to show.
struct DocumentTable: Sendable {
    let rows: [DocumentRow]
    let isEmpty: Bool
    /// A category or name filter is active, so an empty table means "nothing matches", not "nothing stored".
    let filtered: Bool
    /// `a#next-page`, when the listing was truncated.
    let nextPageHref: String?
    /// Administrators get the permanent-delete button in the confirmation dialog.
    let canPermanentlyDelete: Bool
    /// How the store encrypts at rest, shown in the details dialog.
    let encryption: String
    let folders: [FolderLink]
    let hasFolders: Bool
}

/// Loads a page's documents from the index under exactly the rules of `GET list`: the same ``ListQuery``
/// validation, the same ``AccessPolicy/decideListing(prefix:principal:breakGlassReason:)`` decision for
/// the signed-in principal, and the same visibility filter in SQL. Query parameters only ever narrow what
/// the principal may see; pages never accept a break-glass reason.
struct PageListing: Sendable {
    let database: any AppDatabase
    let storage: StorageAccess

    /// The most folders a browsing level shows.
    static let maxFolders = 100
    /// The filter parameters a page passes on to ``ListQuery``.
    static let filterParameters = ["category", "q", "continuationToken", "maxKeys", "prefix"]

    /// The request's filter parameters without empty values (a form's "All categories" sends `category=`),
    /// with `prefix` replaced by `fixedPrefix` when the page decides it; validated by ``ListQuery``.
    static func query(of request: String?, fixedPrefix: String? = nil) throws -> (ListQuery, QueryParameters) {
        let given = QueryParameters(query: request)
        let pairs: [(String, String?)] = filterParameters.map { name in
            if name == "prefix", let fixedPrefix { return (name, fixedPrefix) }
            return (name, given.get(name))
        }
        let parameters = QueryParameters(query: String(PageLink.href("", pairs).dropFirst()))
        return (try ListQuery(parameters), parameters)
    }

    /// The table for `query` as `viewer` may see it; `page` and `keep` (parameters such as `patient`) build
    /// the paging and folder links. `browse` lists the folders one level below the prefix.
    func table(
        _ query: ListQuery,
        parameters: QueryParameters,
        viewer: AuthenticatedUser,
        page: String,
        keep: [(String, String?)] = [],
        browse: Bool = false,
        recorder: AuditRecorder
    ) async throws -> DocumentTable {
        let principal = viewer.principal
        recorder.detail = "page=\(page)" + (query.prefix.rawValue.isEmpty ? "" : " prefix=\(query.prefix.rawValue)")
        if case .entity(.patient, let patient) = query.prefix.reach { recorder.patientID = patient.rawValue }
        let listing: ListingAccess
        do throws(AccessDenial) {
            listing = try AccessPolicy.decideListing(prefix: query.prefix, principal: principal)
        } catch {
            throw APIError.forbidden(error)
        }
        let databaseQuery = query.databaseQuery(scope: listing.scope)
        let found = try await database.listDocuments(databaseQuery)
        let uploaders = try await uploaderNames(of: found.documents, viewer: viewer)
        let folders = browse && Breadcrumbs.browsesFolders(query.prefix.rawValue) ? try await folders(of: databaseQuery) : []
        let nextPageHref = found.nextAfterKey.map { key in
            PageLink.href(
                page,
                keep + [
                    ("prefix", query.prefix.rawValue), ("category", query.category?.rawValue), ("q", parameters.get("q")),
                    ("maxKeys", parameters.get("maxKeys")), ("continuationToken", ContinuationToken.encode(key)),
                ]
            )
        }
        let encryption: String = if case .ready(let store) = storage { store.summary.encryption } else { "storage unavailable" }
        return DocumentTable(
            rows: found.documents.map { DocumentRow($0, uploaders: uploaders) },
            isEmpty: found.documents.isEmpty,
            filtered: query.category != nil || query.search != nil,
            nextPageHref: nextPageHref,
            canPermanentlyDelete: principal.role == .admin,
            encryption: encryption,
            folders: Breadcrumbs.folderLinks(folders, under: query.prefix.rawValue, page: page),
            hasFolders: !folders.isEmpty
        )
    }

    /// The distinct folders directly below the query's prefix that hold at least one matching document, in
    /// key order: one single-row index seek per folder, each starting after the previous folder's keys.
    private func folders(of query: DocumentQuery) async throws -> [String] {
        let prefix = query.prefix
        var seek = query
        seek.limit = 1
        seek.afterKey = nil
        var folders: [String] = []
        for _ in 0..<(Self.maxFolders * 2) where folders.count < Self.maxFolders {
            guard let next = try await database.listDocuments(seek).documents.first else { break }
            guard let folder = Breadcrumbs.childFolder(of: next.key, under: prefix) else {
                seek.afterKey = next.key
                continue
            }
            folders.append(folder)
            // Every key under `prefix/folder/` sorts before this bound (U+10FFFF is the largest scalar).
            seek.afterKey = prefix + folder + "/\u{10FFFF}"
        }
        return folders
    }

    /// How the table names uploaders: "you", or the user's display name or e-mail.
    private func uploaderNames(of documents: [DocumentRecord], viewer: AuthenticatedUser) async throws -> [String: String] {
        var names: [String: String] = [:]
        for id in Set(documents.compactMap(\.uploadedBy)) {
            if id == viewer.principal.userID {
                names[id] = "you"
            } else if let uuid = UUID(parsing: id), let user = try await database.user(id: uuid) {
                names[id] = user.displayName ?? user.email
            }
        }
        return names
    }
}
