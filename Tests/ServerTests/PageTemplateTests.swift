import Foundation
import Testing

@testable import Server

/// The pages' templates are all there before medvault starts: the list matches `Templates/`, and a directory that
/// lacks one (a layout, a partial, a page) stops start-up naming it.
@Suite struct PageTemplateTests {
    private func copyOfTemplates(removing removed: [String] = []) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: PageRenderingTests.templates, to: directory)
        for name in removed { try FileManager.default.removeItem(at: directory.appendingPathComponent(name + ".mustache")) }
        return directory
    }

    @Test func theListIsExactlyTheRepositorysTemplates() throws {
        let root = PageRenderingTests.templates.resolvingSymlinksInPath().path + "/"
        let files = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".mustache") }
            .map { String($0.dropLast(".mustache".count)) }
        #expect(Set(files) == Set(PageTemplate.allCases.map(\.rawValue)))
    }

    @Test func theRepositorysTemplatesLoad() async throws {
        _ = try await PageRenderer(templatesDirectory: PageRenderingTests.templates, tls: false, backend: "local store")
    }

    @Test(arguments: ["layout", "partials/filter-form", "login"])
    func aMissingTemplateStopsStartUp(name: String) async throws {
        let directory = try copyOfTemplates(removing: [name])
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = await #expect(throws: MissingTemplates.self) {
            try await PageRenderer(templatesDirectory: directory, tls: false, backend: "local store")
        }
        #expect(error?.names == [name])
        #expect(error?.description.contains("\(name).mustache") == true)
    }

    @Test func anEmptyDirectoryNamesEveryTemplate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("no-templates-\(UUID().uuidString)")
        let error = await #expect(throws: MissingTemplates.self) {
            try await PageRenderer(templatesDirectory: directory, tls: false, backend: "local store")
        }
        #expect(error?.names == PageTemplate.allCases.map(\.rawValue))
    }
}
