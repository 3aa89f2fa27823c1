import ContentValidation
import Crypto
import Documents
import Foundation
import NIOCore
import Scanning

/// The checks an upload's bytes pass when they are read rather than stored as they arrive: the upload inspector
/// (libmagic, extension agreement, size limits, DICOM, SVG scanning, Office containers), a SHA-256 of every byte,
/// and clamd's scan when one is configured, in one streaming pass (memory stays flat whatever the size).
///
/// A direct upload's staged object is checked this way before it may become a document (``StagedObjectVerifier``),
/// and so is every file of a `medvault import --dry-run`, which must refuse exactly what a real import would.
struct FileContentCheck {
    /// What the check found in accepted bytes.
    struct Verified {
        let inspected: InspectedFile
        /// Lowercase hex SHA-256 of the bytes read.
        let sha256: String
    }

    private var inspector: UploadInspector
    private var hasher = SHA256()
    private var scan: ScanSession?
    /// The key a malware finding is reported under.
    private let key: String

    /// Starts the checks of a file called `fileName` in `category`; the scan starts now, so clamd down fails before
    /// anything is read.
    init(fileName: String, category: FileCategory, key: String, sniffer: MagicSniffer, limits: SizeLimits, antivirus: Antivirus) async throws {
        self.inspector = UploadInspector(fileName: fileName, category: category, sniffer: sniffer, limits: limits)
        self.scan = try await antivirus.startScan()
        self.key = key
    }

    /// Checks the next chunk; throws as soon as a limit or a type rule is broken.
    mutating func consume(_ chunk: ByteBuffer) async throws {
        try chunk.withUnsafeReadableBytes { bytes in
            try inspector.consume(bytes)
            hasher.update(bufferPointer: bytes)
        }
        try await scan?.send(chunk)
    }

    /// The end-of-file verdicts (OOXML and SVG), then clamd's: returns only for bytes that pass every check.
    mutating func finish(expectedSHA256: String? = nil) async throws -> Verified {
        let inspected: InspectedFile
        do {
            inspected = try inspector.finish()
        } catch {
            cancel()
            throw error
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        if let expectedSHA256, expectedSHA256 != digest {
            cancel()
            throw StagedObjectMismatch.checksum
        }
        if let scan { try MalwareFinding.check(try await scan.finish(), key: key) }
        return Verified(inspected: inspected, sha256: digest)
    }

    /// Abandons the scan of a file that will not be finished.
    func cancel() {
        scan?.cancel()
    }
}
