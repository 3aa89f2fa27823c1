import Documents
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// Renders the repository's `documents` template with hostile file names and search text: everything
/// user-supplied comes out escaped, the contract's element ids are there, and no script is inline.
@Suite struct PageRenderingTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Templates")

    static let hostileName = #"<script>alert("x")</script>' & .txt"#

    static func row(fileName: String) -> DocumentRow {
        DocumentRow(
            id: "6dbe5f0e-1874-4e0b-a4c2-3326b24c22fc",
            key: "patients/P1/other/6dbe5f0e-1874-4e0b-a4c2-3326b24c22fc-file.txt",
            fileName: fileName,
            category: "other",
            type: "TXT",
            contentType: "text/plain",
            size: "12 bytes",
            sizeBytes: 12,
            uploadedAt: "2025-03-01 14:05 UTC",
            uploadedAtISO: "2025-03-01T14:05:09Z",
            uploadedBy: "Dr <b>Who</b>",
            entityType: "patient",
            entityID: "P1",
            sha256: String(repeating: "a", count: 64),
            archived: false,
            legalHold: nil
        )
    }

    func render(search: String, rows: [DocumentRow], nextPage: String? = nil) async throws -> String {
        let pages = try await PageRenderer(templatesDirectory: Self.templates, tls: false, backend: "local store")
        let (query, _) = try PageListing.query(of: "q=" + PageLink.encode(search))
        let page = DocumentsPageController.DocumentsPage(
            user: PageUser(displayName: "Pat <Ient>", role: "patient"),
            csrfToken: "token\"><x",
            heading: "Your documents",
            isProvider: false,
            patients: [],
            hasPatients: false,
            nothingToShow: nil,
            filter: FilterForm(action: "/documents", query: query, search: search, keepsPrefix: false),
            table: DocumentTable(
                rows: rows,
                isEmpty: rows.isEmpty,
                filtered: true,
                nextPageHref: nextPage,
                canPermanentlyDelete: false,
                encryption: "AES-256-GCM at rest",
                folders: [],
                hasFolders: false
            ),
            upload: UploadWidget.forAdministrator(limits: .standard),
            storageNotice: nil
        )
        let router = Router()
        router.get("page") { _, _ in pages.render(.documents, page) }
        return try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/page", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            return String(buffer: response.body)
        }
    }

    @Test func userInputIsEscaped() async throws {
        let html = try await render(search: #""><script>q()</script>"#, rows: [Self.row(fileName: Self.hostileName)])
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<script>q()"))
        #expect(!html.contains("<b>Who</b>"))
        #expect(!html.contains("<Ient>"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; &amp; .txt"))
        #expect(html.contains(#"value="&quot;&gt;&lt;script&gt;q()&lt;/script&gt;""#))
        #expect(html.contains(#"<meta name="csrf-token" content="token&quot;&gt;&lt;x">"#))
        for tag in html.matches(of: /<script\b[^>]*>/) {
            #expect(tag.output.contains(#"src="/assets/"#), "only external scripts")
        }
    }

    @Test func contractIdsArePresent() async throws {
        let html = try await render(search: "", rows: [Self.row(fileName: "a.txt")], nextPage: "/documents?continuationToken=abc&q=x")
        for id in [
            "documents-table", "filter-form", "category", "q", "apply-filter", "bulk-delete", "confirm-delete", "confirm-message",
            "confirm-soft-delete", "cancel-delete", "document-details", "upload-widget", "drop-zone", "file-input", "upload-category",
            "upload-entity-type", "upload-entity-id", "upload-list", "backend-badge", "signed-in-user", "sign-out",
        ] {
            #expect(html.contains(#"id="\#(id)""#), "#\(id)")
        }
        #expect(!html.contains(#"id="confirm-permanent-delete""#), "only administrators delete permanently")
        #expect(html.contains(#"<tr class="document-row" data-key="patients/P1/other/"#))
        #expect(html.contains(#"<a id="next-page" href="/documents?continuationToken=abc&amp;q=x">"#))
        for cell in ["name", "category", "type", "size", "uploaded-at", "uploaded-by"] {
            #expect(html.contains(#"<td class="\#(cell)""#), ".\(cell)")
        }
    }

    @Test func emptyTableSaysWhatToDo() async throws {
        let html = try await render(search: "nothing", rows: [])
        #expect(html.contains(#"id="empty-state""#))
        #expect(html.contains("No documents match this filter."))
        #expect(html.contains(#"id="documents-table""#))
    }
}
