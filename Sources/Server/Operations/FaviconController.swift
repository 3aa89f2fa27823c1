import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /favicon.ico`: the site icon (`Public/assets/favicon.ico`, which the pages also link), where browsers
/// and other clients look for it by default, so that no page view ends in a 404 in the console. Read once at
/// start-up, so a missing file stops start-up instead of a later request.
struct FaviconController: Sendable {
    let icon: ByteBuffer

    init(publicDirectory: URL) throws {
        let url = publicDirectory.appendingPathComponent("assets/favicon.ico")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigurationError.invalid("the site icon assets/favicon.ico is missing from the public directory (MEDVAULT_PUBLIC_DIR)")
        }
        icon = ByteBuffer(bytes: data)
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("favicon.ico") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "image/x-icon", .cacheControl: "public, max-age=86400"],
                body: .init(byteBuffer: icon)
            )
        }
    }
}
