import Logging
import ObjectStorage
import Persistence

extension ObjectStore {
    /// The store's multipart calls for direct uploads: S3's own, or the local store's parts assembled by medvault.
    var multipartStaging: any MultipartStaging {
        (self as? any MultipartStaging) ?? LocalMultipartStaging(store: self)
    }

    /// The parts of `session` that storage holds: the parts of its multipart upload, or its staged object once the
    /// client's PUT has landed.
    func receivedParts(of session: UploadSessionRecord, logger: Logger) async throws -> [ReceivedPart] {
        if let uploadID = session.multipartUploadID {
            return try await multipartStaging.uploadedParts(key: session.stagingKey, uploadID: uploadID, logger: logger).map {
                ReceivedPart(partNumber: $0.number, etag: $0.etag, size: $0.size)
            }
        }
        return try await stagedObject(of: session, logger: logger).map { [ReceivedPart(partNumber: 1, etag: $0.etag, size: $0.size)] } ?? []
    }

    /// The staged object of `session`, or nil before it exists (for a multipart upload: before it is assembled).
    func stagedObject(of session: UploadSessionRecord, logger: Logger) async throws -> ObjectInfo? {
        do {
            return try await head(key: session.stagingKey, logger: logger)
        } catch  where error.code == "not_found" {
            return nil
        }
    }

    /// Removes whatever `session` staged: its multipart upload and parts, and its object.
    func removeDirectUpload(_ session: UploadSessionRecord, logger: Logger) async throws {
        if let uploadID = session.multipartUploadID {
            try await multipartStaging.abortMultipartUpload(key: session.stagingKey, uploadID: uploadID, logger: logger)
        }
        try await removeAbandonedUpload(key: session.stagingKey, logger: logger)
    }
}
