import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// The pages' CSP lets scripts connect to the page's own origin and, when direct uploads send their parts elsewhere
/// (the bucket on S3), to that one origin too: never to anywhere else.
@Suite struct PageRendererCSPTests {
    struct Blank: PageContent {
        let user: PageUser? = nil
        let csrfToken: String? = nil
    }

    func policy(uploadOrigin: String?) async throws -> String {
        let pages = try await PageRenderer(
            templatesDirectory: PageRenderingTests.templates,
            tls: false,
            backend: "local store",
            uploadOrigin: uploadOrigin
        )
        let router = Router()
        router.get("page") { _, _ in pages.render(.error, Blank()) }
        return try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/page", method: .get)
            return response.headers[.contentSecurityPolicy] ?? ""
        }
    }

    @Test func withoutStorageScriptsConnectOnlyToThePage() async throws {
        let csp = try await policy(uploadOrigin: nil)
        #expect(csp.contains("connect-src 'self';"))
        #expect(csp.contains("default-src 'self';"))
    }

    @Test func theBucketOriginIsAllowedForConnectionsAlone() async throws {
        let csp = try await policy(uploadOrigin: "https://records.s3.eu-west-1.amazonaws.com")
        #expect(csp.contains("connect-src 'self' https://records.s3.eu-west-1.amazonaws.com;"))
        #expect(csp.contains("script-src 'self';"))
        #expect(csp.components(separatedBy: "amazonaws.com").count == 2)
    }
}
