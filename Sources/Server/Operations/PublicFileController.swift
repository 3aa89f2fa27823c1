import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// One file of the public directory (`MEDVAULT_PUBLIC_DIR`) served at a fixed path. It is read once at start-up, so
/// a missing file stops start-up instead of failing a later request.
struct PublicFileController: Sendable {
    /// The route, relative to the router's root.
    let route: RouterPath
    let headers: HTTPFields
    let body: ByteBuffer

    /// Reads `file` under `publicDirectory`; `missing` names it in the start-up error when it is not there.
    init(route: RouterPath, file: String, publicDirectory: URL, headers: HTTPFields, missing: String) throws {
        guard let data = FileManager.default.contents(atPath: publicDirectory.appendingPathComponent(file).path) else {
            throw ConfigurationError.invalid("\(missing) from the public directory (MEDVAULT_PUBLIC_DIR)")
        }
        self.route = route
        self.headers = headers
        self.body = ByteBuffer(bytes: data)
    }

    /// `GET /api/v2/openapi.yaml`: the OpenAPI document of API v2 (`Public/openapi.yaml`).
    static func openAPI(publicDirectory: URL) throws -> PublicFileController {
        try PublicFileController(
            route: "api/v2/openapi.yaml",
            file: "openapi.yaml",
            publicDirectory: publicDirectory,
            headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "no-cache"],
            missing: "the OpenAPI document is missing"
        )
    }

    /// `GET /favicon.ico`: the site icon (`Public/assets/favicon.ico`, which the pages also link), where browsers and
    /// other clients look for it by default, so that no page view ends in a 404 in the console.
    static func favicon(publicDirectory: URL) throws -> PublicFileController {
        try PublicFileController(
            route: "favicon.ico",
            file: "assets/favicon.ico",
            publicDirectory: publicDirectory,
            headers: [.contentType: "image/x-icon", .cacheControl: "public, max-age=86400"],
            missing: "the site icon assets/favicon.ico is missing"
        )
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(route) { _, _ in Response(status: .ok, headers: headers, body: .init(byteBuffer: body)) }
    }
}
