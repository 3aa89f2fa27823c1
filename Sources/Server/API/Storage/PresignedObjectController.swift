import Access
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
/// response header or recipient, or an expired URL is refused with 403 and the verifier's code (`expired`,
/// `signature_mismatch`, …), and a URL signed before the document's revocation with 403 `url_revoked`. Every fetch, allowed or refused, is audited; once the signature has verified, the
/// row names the user the URL was issued to as its actor (``PresignedURLRecipient``) and the patient from the key.
struct PresignedObjectController: Sendable {
    let database: any DocumentIndex & URLRevocations
    let storage: StorageAccess
    let audit: AuditTrail
    let urls: LocalPresignedURLs
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("objects/**", use: fetch)
    }

    @Sendable func fetch(request: Request, context: AppRequestContext) async throws -> Response {
        try await audit.perform(.documentPresignedFetch, request: request, context: context) { recorder in
            let store = try storage.store()
            let rawPath = request.uri.path
            let host = request.head.authority ?? ""
            let verification: PresignedURLVerifier.Verification
            do {
                verification = try urls.verifier.verify(
                    method: "GET",
                    rawPath: rawPath,
                    rawQuery: request.uri.query ?? "",
                    headers: [(name: "host", value: host)],
                    now: now()
                )
            } catch let error as SigV4VerificationError {
                throw APIError(.forbidden, code: error.code, message: error.message)
            }
            if let recipient = try Self.recipient(QueryParameters(query: request.uri.query)) {
                recorder.actorID = recipient.userID
                recorder.actorRole = recipient.role.rawValue
                recorder.detail = "URL issued to the actor"
            }
            guard rawPath.hasPrefix(LocalPresignedURLs.pathPrefix),
                let decoded = String(rawPath.dropFirst(LocalPresignedURLs.pathPrefix.count)).removingPercentEncoding
            else {
                throw APIError(.badRequest, code: "invalid_key", message: "The URL does not name a document key.")
            }
            let served: FileResponse.Served
            let record: DocumentRecord
            if let derived = DerivedKey(parsing: decoded) {
                (record, served) = try await variant(derived, store: store, context: context, recorder: recorder)
            } else {
                let key = try DocumentKey(parsing: decoded)
                recorder.documentKey = key.rawValue
                if let owner = DocumentOwner(key: key), owner.entityType == .patient { recorder.patientID = owner.entityID.rawValue }
                guard let found = try await database.document(key: key.rawValue) else { throw APIError.documentNotFound }
                record = found
                served = FileResponse.Served(record: record)
            }
            recorder.documentID = record.apiID
            if let notBefore = try await database.urlsNotBefore(documentID: record.id), verification.signedAt < notBefore {
                throw APIError(.forbidden, code: "url_revoked", message: "This URL was revoked. Ask for a new one.")
            }
            let response = try await FileResponse.serve(served, from: store, request: request, context: context)
            recorder.httpStatus = Int(response.status.code)
            return response
        }
    }

    /// A variant's URL: served while its document exists (the URL was issued under the document's read decision, and a
    /// revocation of the document revokes it too), and audited against the document, naming the variant.
    private func variant(
        _ key: DerivedKey,
        store: any ObjectStore,
        context: AppRequestContext,
        recorder: AuditRecorder
    ) async throws -> (DocumentRecord, FileResponse.Served) {
        recorder.detail = [recorder.detail, "variant=\(key.variant.rawValue)"].compactMap { $0 }.joined(separator: "; ")
        guard let record = try await database.document(id: key.documentID) else { throw APIError.documentNotFound }
        recorder.documentKey = record.key
        if record.entityType == .patient { recorder.patientID = record.entityID }
        guard let info = try await store.headIfPresent(key: key.rawValue, logger: context.logger) else {
            throw APIError.variantNotFound(key.variant)
        }
        return (record, StoredVariant(variant: key.variant, info: info).served)
    }

    /// Whom a verified URL was issued to, or nil for a URL issued without a recipient. The signature covers the
    /// parameter, so a malformed or repeated one was never issued by medvault.
    static func recipient(_ parameters: QueryParameters) throws -> PresignedURLRecipient? {
        let values = parameters.getAll(LocalPresignedURLs.issuedToParameter)
        guard !values.isEmpty else { return nil }
        guard values.count == 1, let recipient = PresignedURLRecipient(parameterValue: values[0]) else {
            throw APIError.invalidParameter("`\(LocalPresignedURLs.issuedToParameter)` does not name a user.")
        }
        return recipient
    }
}
