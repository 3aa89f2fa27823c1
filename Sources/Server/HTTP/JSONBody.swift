import Foundation
import Hummingbird

/// Small JSON request bodies (deletes, admin calls), decoded with one clear error for anything malformed.
enum JSONBody {
    /// The largest JSON body accepted.
    static let maxBytes = 16 * 1024

    /// Decodes `type` from the request body; `example` shows the expected shape in the error message.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, example: String) async throws -> T {
        let buffer = try await request.body.collect(upTo: maxBytes)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError(.badRequest, code: "invalid_json", message: "The body must be JSON like \(example).")
        }
    }
}
