import HTTPTypes
import Hummingbird
import Logging

/// Turns every error into the API's JSON error body and stamps `X-Request-Id` and
/// `X-Content-Type-Options: nosniff` on every response.
///
/// `nosniff` makes browsers take each body as the type it is declared (JSON, YAML, an export), never as HTML
/// or a script they guessed from its bytes, which could carry a stored file name or a user's text.
/// It sits outermost, so that router misses, decoding failures and unexpected errors all answer alike.
/// Every failure answered with a 5xx is logged at `.error` with the request id and its cause (``FailureCause``:
/// the errors' types and scrubbed messages, since an error's text may carry a key, and keys carry patient ids).
package struct APIErrorMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext

    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError = APIError.translating(error) ?? .unexpected
            if apiError.status.code >= 500 {
                FailureCause.log(error, answeredAs: apiError, to: context.logger)
            }
            response = try apiError.response(from: request, context: context)
        }
        response.headers[.xRequestID] = context.requestID
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`: the same id as in error bodies, logs and audit rows.
    package static let xRequestID = Self("X-Request-Id")!
}
