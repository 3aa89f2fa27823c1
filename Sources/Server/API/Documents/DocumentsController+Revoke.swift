import Access
import Audit
import Documents
import Foundation
import Hummingbird
import ObjectStorage
import Persistence

extension DocumentsController {
    /// The answer to `revoke`.
    struct RevokeResponse: Encodable, Sendable {
        let id: String
        /// Where the document is stored now: a fresh key on S3, the same key on the local store.
        let key: String
        /// URLs signed before this instant no longer work; URLs issued from now on do.
        let revokedAt: String
    }

    /// `POST /api/v2/documents/{id}/revoke`: every pre-signed URL issued for the document so far stops working, on
    /// every backend, and the id stays the same.
    ///
    /// The local store's verifier refuses URLs signed before the recorded not-before instant. S3 checks its URLs
    /// alone, so there the object moves to a fresh key (CopyObject with server-side encryption, then delete) and the
    /// index row follows, in the transaction that records the revocation and its `document.revoke` row; if that
    /// transaction fails, the object is moved back. The instant is the next whole second, because X-Amz-Date
    /// has no finer resolution: every URL signed until now is before it (see ``URLRevocations`` for a second
    /// revocation within the same second).
    ///
    /// Who may: an administrator, or the patient for their own documents. Someone who may not read the document
    /// gets 404 as for a missing one; someone who may read it but not revoke (a provider) gets 403.
    @Sendable func revoke(request: Request, context: AppRequestContext) async throws -> JSONResponse<RevokeResponse> {
        try await audit.perform(.documentRevoke, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            let store = try storage.store()
            guard let issuer = presignedURLs else { throw APIError.unexpected }
            let record = try recorder.admit(
                try await documentDecision(.read, id: context.parameters.get("id") ?? "", principal: principal, request: request)
            )
            try recorder.check(access.decide(.revoke, owner: DocumentOwner(record: record), principal: principal, request: request))
            let notBefore = Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down) + 1)
            var freshKey: DocumentKey?
            if !issuer.verifiesSigningTime {
                let fresh = KeyLayout.revokedKey(for: try DocumentKey(parsing: record.key), objectID: makeUUID())
                try await store.move(from: record.key, to: fresh.rawValue, logger: context.logger)
                freshKey = fresh
            }
            recorder.detail = freshKey.map { "moved to a fresh key: \($0.rawValue)" }
            let revoked: RevokedURLs
            do {
                revoked = try await recorder.commit { entry in
                    try await database.revokeURLs(documentID: record.id, notBefore: notBefore, newKey: freshKey?.rawValue, audit: entry)
                }
            } catch {
                if let freshKey { try? await store.move(from: freshKey.rawValue, to: record.key, logger: context.logger) }
                throw error
            }
            return JSONResponse(
                RevokeResponse(
                    id: revoked.document.apiID,
                    key: revoked.document.key,
                    revokedAt: revoked.notBefore.formatted(Date.ISO8601FormatStyle())
                )
            )
        }
    }
}
