import Audit
import Documents
import Foundation
import HTTPTypes
import Hummingbird
import ObjectStorage
import Persistence
import SigV4

/// `GET /api/v2/aws/s3/objects/{key}?X-Amz-…`: serves the local store's pre-signed URLs.
///
/// No session or token is needed: the SigV4 signature is the credential. The verifier recomputes it over
/// the raw path, query and `host` exactly as S3 would, so an edited key, an added parameter, a changed
/// response header or an expired URL is refused with 403 and the verifier's code (`expired`,
/// `signature_mismatch`, …). Every fetch, allowed or refused, is audited.
struct PresignedObjectController: Sendable {
    let database: AppDatabase
    let storage: StorageAccess
    let audit: AuditTrail
    let urls: LocalPresignedURLs
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("objects/**", use: fetch)
    }

    @Sendable func fetch(request: Request, context: AppRequestContext) async throws -> Response {
        try await audit.perform(.documentPresignedFetch, request: request, context: context) { subject in
            let store = try storage.store()
            let rawPath = request.uri.path
            let host = request.head.authority ?? ""
            do {
                _ = try urls.verifier.verify(
                    method: "GET",
                    rawPath: rawPath,
                    rawQuery: request.uri.query ?? "",
                    headers: [(name: "host", value: host)],
                    now: now()
                )
            } catch let error as SigV4VerificationError {
                throw APIError(.forbidden, code: error.code, message: error.message)
            }
            guard rawPath.hasPrefix(LocalPresignedURLs.pathPrefix),
                let decoded = String(rawPath.dropFirst(LocalPresignedURLs.pathPrefix.count)).removingPercentEncoding
            else {
                throw APIError(.badRequest, code: "invalid_key", message: "The URL does not name a document key.")
            }
            let key = try DocumentKey(parsing: decoded)
            subject.documentKey = key.rawValue
            guard let record = try await database.document(key: key.rawValue) else { throw APIError.documentNotFound }
            subject.documentID = record.apiID
            return try await FileResponse.serve(record, from: store, request: request, context: context, subject: &subject)
        }
    }
}
