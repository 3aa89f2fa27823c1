import Documents
import Foundation
import Testing

@testable import Server

/// The value types behind the pages: sizes and instants as people read them, links, breadcrumbs
/// and folders, type names and the upload widget's limits.
@Suite struct PageModelTests {
    static let sizes: [(Int64, String)] = [
        (0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1024, "1.0 KiB"), (1536, "1.5 KiB"), (10189, "10 KiB"),
        (1_048_575, "1.0 MiB"), (10_485_760, "10 MiB"), (26_738_688, "26 MiB"), (3_221_225_472, "3.0 GiB"),
    ]

    @Test(arguments: sizes)
    func byteCounts(bytes: Int64, text: String) {
        #expect(PageFormat.byteCount(bytes) == text)
    }

    @Test func instantsAreUTCMinutes() {
        let instant = Date(timeIntervalSince1970: 1_740_837_909.987)  // 2025-03-01T14:05:09.987Z
        #expect(PageFormat.minute(instant) == "2025-03-01 14:05 UTC")
        #expect(PageFormat.machineInstant(instant) == "2025-03-01T14:05:09Z")
    }

    @Test func linksEncodeEveryValueAndDropEmptyOnes() {
        #expect(PageLink.encode("a b&c=d/é+#") == "a%20b%26c%3Dd/%C3%A9%2B%23")
        #expect(PageLink.href("/storage", [("prefix", "patients/P1/"), ("category", nil), ("q", "")]) == "/storage?prefix=patients/P1/")
        #expect(PageLink.href("/storage", [("q", nil)]) == "/storage")
        #expect(PageLink.href("/documents", [("patient", "P1"), ("q", "x&y")]) == "/documents?patient=P1&q=x%26y")
    }

    @Test func breadcrumbsFollowThePrefix() {
        let trail = Breadcrumbs.trail(prefix: "patients/P1/lab-results/", page: "/storage")
        #expect(trail.map(\.label) == ["All documents", "patients", "P1", "lab-results"])
        #expect(
            trail.map(\.href) == [
                "/storage", "/storage?prefix=patients/", "/storage?prefix=patients/P1/", "/storage?prefix=patients/P1/lab-results/",
            ]
        )
        #expect(trail.map(\.current) == [false, false, false, true])
        #expect(Breadcrumbs.trail(prefix: "", page: "/storage") == [Breadcrumb(label: "All documents", href: "/storage", current: true)])
        let partial = Breadcrumbs.trail(prefix: "patients/P", page: "/storage")
        #expect(partial.map(\.label) == ["All documents", "patients", "P"])
        #expect(partial.last == Breadcrumb(label: "P", href: "/storage?prefix=patients/P", current: true))
    }

    static let browsing: [(String, Bool)] = [
        ("", true), ("patients/", true), ("patients/P1/", true), ("patients/P1/forms/", false), ("patients/P", false),
        ("archived/", true), ("archived/patients/P1/", true), ("archived/patients/P1/forms/", false),
    ]

    @Test(arguments: browsing)
    func foldersAreBrowsedDownToTheEntity(prefix: String, browses: Bool) {
        #expect(Breadcrumbs.browsesFolders(prefix) == browses)
    }

    @Test func childFolderIsTheNextCompleteSegment() {
        let key = "patients/P1/forms/3f2a0c4e-8c1d-4b7e-9a55-0d6c1f2e3a4b-consent.pdf"
        #expect(Breadcrumbs.childFolder(of: key, under: "") == "patients")
        #expect(Breadcrumbs.childFolder(of: key, under: "patients/") == "P1")
        #expect(Breadcrumbs.childFolder(of: key, under: "patients/P1/") == "forms")
        #expect(Breadcrumbs.childFolder(of: key, under: "patients/P1/forms/") == nil, "a document, not a folder")
        #expect(Breadcrumbs.childFolder(of: key, under: "providers/") == nil)
        #expect(
            Breadcrumbs.folderLinks(["P1", "P 2"], under: "patients/", page: "/storage") == [
                FolderLink(label: "P1", href: "/storage?prefix=patients/P1/"),
                FolderLink(label: "P 2", href: "/storage?prefix=patients/P%202/"),
            ]
        )
    }

    @Test func typeNamesAreShort() {
        #expect(DocumentRow.typeName(of: "application/pdf") == "PDF")
        #expect(DocumentRow.typeName(of: "application/vnd.openxmlformats-officedocument.wordprocessingml.document") == "DOCX")
        #expect(DocumentRow.typeName(of: "image/jpeg") == "JPG")
        #expect(DocumentRow.typeName(of: "application/x-unknown") == "application/x-unknown")
    }

    @Test func categoryOptions() {
        let options = PageOption.categories(selected: "lab-results", includingAll: true)
        #expect(options.count == 14)
        #expect(options.first == PageOption(value: "", label: "All categories", selected: false))
        #expect(options.filter(\.selected).map(\.value) == ["lab-results"])
        #expect(options.map(\.label).contains("Medical records"))
        #expect(PageOption.categories(selected: nil, includingAll: true).first?.selected == true)
    }

    @Test func uploadWidgetCarriesTheServersLimits() {
        let widget = UploadWidget.forAdministrator(limits: .standard)
        #expect(widget.choosesEntity)
        #expect((widget.imageMaxBytes, widget.documentMaxBytes, widget.maxFileBytes) == (10 << 20, 25 << 20, 50 << 20))
        #expect(widget.imageExtensions.split(separator: ",").contains("png"))
        #expect(widget.documentExtensions.split(separator: ",").contains("pdf"))
        #expect(widget.medicalExtensions == "dcm,dicom")
        #expect(widget.accept.hasPrefix(".jpg,.jpeg,"))
        #expect(widget.limitsText.hasPrefix("Images up to 10 MiB, documents up to 25 MiB, videos up to 500 MiB, any other file up to 50 MiB."))
    }

    @Test func pageQueriesDropEmptyValuesAndKeepTheFixedPrefix() throws {
        let (query, parameters) = try PageListing.query(of: "category=&q=Lab+Report&prefix=patients/P2/&other=x", fixedPrefix: "patients/P1/")
        #expect(query.category == nil)
        #expect(query.search == "lab report")
        #expect(parameters.get("prefix") == "patients/P1/")
        #expect(parameters.get("q") == "Lab Report")
        #expect(parameters.get("other") == nil)
        #expect(throws: APIError.self) { try PageListing.query(of: "category=nonsense") }
        #expect(throws: (any Error).self) { try PageListing.query(of: "prefix=../x/") }
    }
}
