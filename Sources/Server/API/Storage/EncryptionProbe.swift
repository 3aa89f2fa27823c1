import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage

/// Proves that the store really encrypts what it writes: it writes a small probe object under `temp/`,
/// reads its headers back (HeadObject on S3), records what the store reported, and deletes the probe.
///
/// `/config` shows the verdict, so an operator sees the encryption actually applied, not just the
/// configured intent. The result is cached for ``cacheLifetime`` so that `/config` stays cheap.
actor EncryptionProbe {
    /// The outcome of one probe.
    struct Result: Encodable, Sendable {
        /// The `x-amz-server-side-encryption` (or local equivalent) read back from the probe object.
        let serverSideEncryption: String?
        let verified: Bool
        let checkedAt: String
    }

    static let cacheLifetime: TimeInterval = 300

    private let store: any ObjectStore
    private let expected: String?
    private let now: @Sendable () -> Date
    private var cached: (result: Result, at: Date)?

    /// `expected` is the encryption the store was asked to apply (`AES256`, `aws:kms`, `AES-256-GCM`).
    init(store: any ObjectStore, expected: String?, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.expected = expected
        self.now = now
    }

    func result(logger: Logger) async throws -> Result {
        if let cached, now().timeIntervalSince(cached.at) < Self.cacheLifetime {
            return cached.result
        }
        let key = KeyLayout.tempKey(documentID: UUID(), fileName: "encryption-probe.txt").rawValue
        let writer = try await store.makeWriter(key: key, contentType: "text/plain", logger: logger)
        do {
            try await writer.write(ByteBuffer(string: "medvault encryption probe\n"))
            _ = try await writer.finish()
        } catch {
            await writer.abort()
            throw error
        }
        let info: ObjectInfo
        do {
            info = try await store.head(key: key, logger: logger)
        } catch {
            try? await store.delete(key: key, logger: logger)
            throw error
        }
        try await store.delete(key: key, logger: logger)
        let checkedAt = now()
        let result = Result(
            serverSideEncryption: info.serverSideEncryption,
            verified: info.serverSideEncryption != nil && (expected == nil || info.serverSideEncryption == expected),
            checkedAt: checkedAt.formatted(Date.ISO8601FormatStyle())
        )
        cached = (result, checkedAt)
        return result
    }
}
