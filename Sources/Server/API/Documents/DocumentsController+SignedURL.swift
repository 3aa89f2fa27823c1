import Access
import Audit
import Foundation
import HTTPTypes
import Hummingbird
import Persistence

extension DocumentsController {
    /// The routes under `/api/v2/documents`, which name a document by the id an app keeps in its own tables.
    func addDocumentRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(":id/signed-url", use: signedURL)
        group.post(":id/revoke", use: revoke)
    }

    /// The body of `signed-url`.
    struct SignedURLResponse: Encodable, Sendable {
        let id: String
        let url: String
        let expiresAt: String
        let refreshAfter: String
    }

    /// The variants `signed-url` serves: the stored document itself.
    static let signedURLVariants = ["original"]

    /// `GET /api/v2/documents/{id}/signed-url`: a fresh pre-signed URL for the document, with when to ask again
    /// (``SignedURLCaching``). Decided and audited (`document.presign`) exactly like `download?presigned=true` by id:
    /// a document the caller may not see is 404 like a missing one.
    @Sendable func signedURL(request: Request, context: AppRequestContext) async throws -> Response {
        try await audit.perform(.documentPresign, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            _ = try storage.store()
            let parameters = QueryParameters(query: request.uri.query)
            for (name, code) in [("expires", "invalid_expires"), ("variant", "invalid_variant")] where parameters.getAll(name).count > 1 {
                throw APIError(.badRequest, code: code, message: "Give `\(name)` at most once.")
            }
            if let variant = parameters.get("variant"), !Self.signedURLVariants.contains(variant) {
                throw APIError(
                    .badRequest,
                    code: "invalid_variant",
                    message: "`variant` must be one of: \(Self.signedURLVariants.joined(separator: ", "))."
                )
            }
            let rawID = context.parameters.get("id") ?? ""
            let record = try recorder.admit(try await documentDecision(.read, id: rawID, principal: principal, request: request))
            let lifetime = try Self.presignedLifetime(parameters.get("expires"), breakGlass: recorder.breakGlass, code: "invalid_expires")
            let issued = try await issueURL(for: record, issuedTo: principal, lifetime: lifetime, recorder: recorder)
            let caching = SignedURLCaching(issuedAt: issued.issuedAt, lifetime: lifetime)
            let body = SignedURLResponse(
                id: record.apiID,
                url: issued.url,
                expiresAt: caching.expiresAt.formatted(Date.ISO8601FormatStyle()),
                refreshAfter: caching.refreshAfter.formatted(Date.ISO8601FormatStyle())
            )
            var response = try JSONResponse(body).response(from: request, context: context)
            response.headers[.cacheControl] = caching.cacheControl
            response.headers[.vary] = "Authorization, Cookie"
            return response
        }
    }
}
