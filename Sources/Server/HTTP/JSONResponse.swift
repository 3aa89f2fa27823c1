import Foundation
import HTTPTypes
import Hummingbird

/// An `Encodable` value sent as a JSON response with the API's fixed headers.
///
/// API answers describe patients' documents, so none of them may be cached (`Cache-Control: no-store`). A value
/// that is ``JSONWritable`` writes its own bytes (the same ones, faster); anything else goes through `JSONEncoder`.
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    let status: HTTPResponse.Status
    let value: Value

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.status = status
        self.value = value
    }

    /// The encoder of every body that is not ``JSONWritable``; ``JSONWriter`` reproduces its output.
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: try body())
        )
    }

    /// The JSON text of ``value``.
    func body() throws -> ByteBuffer {
        if let writable = value as? any JSONWritable {
            var writer = JSONWriter(capacity: writable.estimatedJSONSize)
            writable.writeJSON(to: &writer)
            return writer.makeBuffer()
        }
        return ByteBuffer(bytes: try Self.makeEncoder().encode(value))
    }
}
