import Logging
import ObjectStorage
import Persistence

extension ObjectStore {
    /// The parts of `session` that storage holds: its staged object, once the client's PUT has landed.
    func receivedParts(of session: UploadSessionRecord, logger: Logger) async throws -> [ReceivedPart] {
        do {
            let info = try await head(key: session.stagingKey, logger: logger)
            return [ReceivedPart(partNumber: 1, etag: info.etag, size: info.size)]
        } catch  where error.code == "not_found" {
            return []
        }
    }

    /// Removes whatever `session` staged: its object, and any incomplete multipart upload to its staging key.
    func removeDirectUpload(_ session: UploadSessionRecord, logger: Logger) async throws {
        try await removeAbandonedUpload(key: session.stagingKey, logger: logger)
    }
}
