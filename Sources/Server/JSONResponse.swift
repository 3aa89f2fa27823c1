import Foundation
import HTTPTypes
import Hummingbird

/// An `Encodable` value sent as a JSON response with the API's fixed headers.
///
/// API answers describe patients' documents, so none of them may be cached (`Cache-Control: no-store`).
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    let status: HTTPResponse.Status
    let value: Value

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.status = status
        self.value = value
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
