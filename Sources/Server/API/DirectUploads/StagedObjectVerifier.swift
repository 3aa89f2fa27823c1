import ContentValidation
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage
import Persistence

/// Checks what a direct upload actually put in storage before it may become a document: the same checks an API
/// upload passes, on the bytes storage holds rather than on what the client claimed.
///
/// It reads the staged object once, streaming (memory stays flat whatever the size): the size must equal the declared
/// one, the upload inspector (libmagic, extension agreement, size limits, DICOM, SVG scanning, Office containers)
/// must accept the bytes, their SHA-256 must match the declared one when given, and clamd (when configured) must
/// call them clean. HEAD comes first, so a wrong size or missing encryption is refused without reading anything.
struct StagedObjectVerifier {
    let store: any ObjectStore
    let sniffer: MagicSniffer
    /// The upload size limits the server enforces.
    let limits: SizeLimits
    let antivirus: Antivirus
    /// `AES256`, `aws:kms` or `AES-256-GCM`: what the staged object's encryption must say.
    let expectedEncryption: String
    let logger: Logger

    /// Verifies the staged object of `session`.
    /// - Throws: ``StagedObjectMismatch``, `UploadRejection` or ``MalwareFinding`` for a refused object (the caller
    ///   rejects the session); `StorageError` (`not_found` when nothing arrived) or `ScanError` when the check could
    ///   not run, which leaves the session to be completed again.
    func verify(_ session: UploadSessionRecord) async throws -> FileContentCheck.Verified {
        let info = try await store.head(key: session.stagingKey, logger: logger)
        guard info.size == session.size else { throw StagedObjectMismatch.size }
        guard info.serverSideEncryption == expectedEncryption else { throw StagedObjectMismatch.encryption }
        var check = try await FileContentCheck(
            fileName: session.fileName,
            category: session.category,
            key: session.documentKey,
            sniffer: sniffer,
            limits: limits,
            antivirus: antivirus
        )
        var count: Int64 = 0
        do {
            for try await chunk in try await store.read(key: session.stagingKey, range: nil, logger: logger).body {
                count += Int64(chunk.readableBytes)
                guard count <= session.size else { throw StagedObjectMismatch.size }
                try await check.consume(chunk)
            }
            guard count == session.size else { throw StagedObjectMismatch.size }
        } catch {
            check.cancel()
            throw error
        }
        return try await check.finish(expectedSHA256: session.sha256)
    }
}
