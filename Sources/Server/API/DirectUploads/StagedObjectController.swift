import Crypto
import Documents
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ObjectStorage
import Persistence
import SigV4

/// `PUT /api/v2/aws/s3/objects/quarantine/{uploadId}?X-Amz-…`: the local store's side of direct uploads, so that a
/// client sends its bytes the same way whichever backend runs (on S3 the same URLs point at the bucket).
///
/// No session or token is needed: the SigV4 signature is the credential, verified as for the local store's
/// pre-signed GETs (expiry, tampering: 403 with the verifier's code). As S3 does, it enforces what the URL signs: the
/// body must be exactly the signed `Content-Length` (400 `size_mismatch` otherwise) and, when signed, match
/// `x-amz-checksum-sha256` (400 `checksum_mismatch`); nothing of a refused body stays. The bytes land encrypted under
/// the session's staging key (or, with `partNumber` and `uploadId`, as one of its parts) like every object, and only
/// while the session is `pending` (409 `upload_closed`).
struct StagedObjectController: Sendable {
    let database: any UploadSessions
    let storage: StorageAccess
    let urls: LocalPresignedURLs
    let now: @Sendable () -> Date

    static let stagingPrefix = LocalPresignedURLs.pathPrefix + "quarantine/"

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.put("objects/quarantine/:uploadId", use: receive)
    }

    @Sendable func receive(request: Request, context: AppRequestContext) async throws -> Response {
        let store = try storage.store()
        let rawPath = request.uri.path
        let headers = [(name: "host", value: request.head.authority ?? "")] + request.headers.map { ($0.name.canonicalName, $0.value) }
        let verification: PresignedURLVerifier.Verification
        do {
            verification = try urls.verifier.verify(method: "PUT", rawPath: rawPath, rawQuery: request.uri.query ?? "", headers: headers, now: now())
        } catch {
            throw APIError(.forbidden, code: error.code, message: error.message)
        }
        guard verification.signedHeaders.contains("content-length"), let length = request.headers[.contentLength].flatMap(Int64.init) else {
            throw APIError(.forbidden, code: "signature_mismatch", message: "An upload URL must sign the body's Content-Length.")
        }
        guard rawPath.hasPrefix(Self.stagingPrefix), let id = UUID(parsing: String(rawPath.dropFirst(Self.stagingPrefix.count))) else {
            throw APIError(.badRequest, code: "invalid_key", message: "The URL does not name an upload's staging key.")
        }
        guard let session = try await database.uploadSession(id: id) else { throw DirectUploadsController.notFound }
        guard session.state == .pending else { throw DirectUploadsController.closed(session) }
        let written = try await Self.store(
            request.body,
            length: length,
            checksum: request.headers[HTTPField.Name("x-amz-checksum-sha256")!],
            at: try Self.key(for: session, query: QueryParameters(query: request.uri.query)),
            in: store,
            context: context
        )
        return Response(status: .ok, headers: [.eTag: written.info.etag, .cacheControl: "no-store"])
    }

    /// Where the PUT's bytes go: the staged object, or for a multipart session the part the (signed) `partNumber` and
    /// `uploadId` name.
    private static func key(for session: UploadSessionRecord, query: QueryParameters) throws -> String {
        guard let uploadID = session.multipartUploadID else { return session.stagingKey }
        let numbers = query.getAll("partNumber")
        guard query.getAll("uploadId") == [uploadID], numbers.count == 1, let number = Int(numbers[0]), (1...session.partCount).contains(number)
        else { throw APIError.invalidParameter("The URL does not name a part of this upload.") }
        return LocalMultipartStaging.partKey(uploadID: uploadID, number: number)
    }

    /// Streams `body` into the store under `key`, refusing (and removing) a body longer or shorter than `length` or
    /// whose SHA-256 is not `checksum` (base64, as `x-amz-checksum-sha256` carries it).
    private static func store(
        _ body: RequestBody,
        length: Int64,
        checksum: String?,
        at key: String,
        in store: any ObjectStore,
        context: AppRequestContext
    ) async throws -> WrittenObject {
        let writer = try await store.makeWriter(key: key, contentType: "application/octet-stream", logger: context.logger)
        do {
            var received: Int64 = 0
            for try await chunk in body {
                received += Int64(chunk.readableBytes)
                guard received <= length else { throw sizeMismatch }
                try await writer.write(chunk)
            }
            guard received == length else { throw sizeMismatch }
        } catch {
            await writer.abort()
            throw error
        }
        let written = try await writer.finish()
        if let checksum, checksum != Data(written.sha256).base64EncodedString() {
            try await store.delete(key: key, logger: context.logger)
            throw APIError(.badRequest, code: "checksum_mismatch", message: "The body's SHA-256 is not the signed x-amz-checksum-sha256.")
        }
        return written
    }

    private static let sizeMismatch = APIError(.badRequest, code: "size_mismatch", message: "The body's length is not the signed Content-Length.")
}
