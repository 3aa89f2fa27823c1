import Access
import Audit
import Documents
import Foundation
import HTTPTypes
import Hummingbird
import ObjectStorage
import Persistence

extension DocumentsController {
    /// `GET download`: streams the stored bytes (single ranges per RFC 9110 §14), or with `presigned=true`
    /// answers `{url, expiresAt}`, a SigV4 URL that fetches the bytes without credentials.
    @Sendable func download(request: Request, context: AppRequestContext) async throws -> Response {
        try await audit.perform(.documentDownload, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            let store = try storage.store()
            let parameters = QueryParameters(query: request.uri.query)
            let record = try recorder.admit(try await documentDecision(.read, parameters: parameters, principal: principal, request: request))
            switch parameters.get("presigned") {
            case nil, "false":
                let response = try await FileResponse.serve(record, from: store, request: request, context: context)
                recorder.httpStatus = Int(response.status.code)
                return response
            case "true":
                recorder.action = .documentPresign
                return try presignedLink(for: record, issuedTo: principal, expiresParameter: parameters.get("expires"), recorder: recorder)
                    .response(from: request, context: context)
            default:
                throw APIError.invalidParameter("`presigned` must be true or false.")
            }
        }
    }

    /// The body of `download?presigned=true`.
    struct PresignedLink: Encodable, Sendable {
        let url: String
        let expiresAt: String
    }

    /// The URL names `principal` as its recipient (``PresignedURLRecipient``), so that the local store audits its
    /// fetches against them.
    private func presignedLink(
        for record: DocumentRecord,
        issuedTo principal: Principal,
        expiresParameter: String?,
        recorder: AuditRecorder
    ) throws -> JSONResponse<PresignedLink> {
        let expires = try Self.presignedLifetime(expiresParameter, breakGlass: recorder.breakGlass)
        guard let issuer = presignedURLs else { throw APIError.unexpected }
        let issuedAt = now()
        let url = try issuer.presignedGetURL(
            key: record.key,
            expires: expires,
            responseContentType: record.contentType,
            responseContentDisposition: FileResponse.disposition(for: record),
            issuedTo: PresignedURLRecipient(principal).parameterValue,
            date: issuedAt
        )
        let expiresAt = issuedAt.addingTimeInterval(TimeInterval(expires)).formatted(Date.ISO8601FormatStyle())
        recorder.detail = "expires=\(expires)s expiresAt=\(expiresAt)"
        return JSONResponse(PresignedLink(url: url, expiresAt: expiresAt))
    }

    /// The lifetime asked for in `expires` (seconds), or the default; at most
    /// ``PresignPolicy/breakGlassMaximumExpiry`` when the provider broke the glass for this document.
    static func presignedLifetime(_ parameter: String?, breakGlass: Bool) throws -> Int {
        let maximum = breakGlass ? PresignPolicy.breakGlassMaximumExpiry : PresignPolicy.maximumExpiry
        guard let parameter else { return min(PresignPolicy.defaultExpiry, maximum) }
        guard let value = Int(parameter), (PresignPolicy.minimumExpiry...maximum).contains(value) else {
            let range = "from \(PresignPolicy.minimumExpiry) to \(maximum)"
            throw APIError.invalidParameter(
                breakGlass
                    ? "`expires` must be a number of seconds \(range): URLs issued under break-glass access live at most 15 minutes."
                    : "`expires` must be a number of seconds \(range)."
            )
        }
        return value
    }
}
