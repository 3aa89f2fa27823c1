import Foundation
import Hummingbird

/// Small JSON request bodies (deletes, admin calls), decoded with one clear error for anything malformed.
///
/// The body must be declared `application/json`: a browser sends `text/plain`, form or multipart bodies
/// cross-site without asking (no CORS preflight), so a JSON endpoint that read those would take a forged
/// request for a real one. Anything else is refused with 415 `expected_json` before the body is read.
enum JSONBody {
    /// The largest JSON body accepted.
    static let maxBytes = 16 * 1024

    /// Decodes `type` from the request body; `example` shows the expected shape in the error message.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, example: String) async throws -> T {
        guard isJSON(request.headers[.contentType]) else { throw APIError.expectedJSON }
        let buffer = try await request.body.collect(upTo: maxBytes)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError(.badRequest, code: "invalid_json", message: "The body must be JSON like \(example).")
        }
    }

    /// Whether a `Content-Type` value names `application/json` (any case, any parameters such as `charset`).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let mediaType = contentType?.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first else { return false }
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}
