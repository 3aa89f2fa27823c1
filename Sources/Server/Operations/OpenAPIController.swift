import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /api/v2/openapi.yaml`: the OpenAPI document of API v2, read once at start-up from the public
/// assets folder (`Public/openapi.yaml`), so a missing file stops start-up instead of a later request.
struct OpenAPIController: Sendable {
    let document: ByteBuffer

    init(publicDirectory: URL) throws {
        let url = publicDirectory.appendingPathComponent("openapi.yaml")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigurationError.invalid("the OpenAPI document is missing from the public directory (MEDVAULT_PUBLIC_DIR)")
        }
        document = ByteBuffer(bytes: data)
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("api/v2/openapi.yaml") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "no-cache"],
                body: .init(byteBuffer: document)
            )
        }
    }
}
