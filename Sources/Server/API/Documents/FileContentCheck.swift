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
/// and so is every file of a `medvault import --dry-run`, which must refuse exactly what a real import would: an image
/// (JPEG, PNG, WebP, HEIC) also goes through its ``MetadataStripper``, whose output is dropped, so that a broken image
/// is refused (`invalid_image`) as ``FileUpload`` refuses it. The bytes read, and their SHA-256, are the original's.
struct FileContentCheck {
    /// What the check found in accepted bytes.
    struct Verified {
        let inspected: InspectedFile
        /// Lowercase hex SHA-256 of the bytes read.
        let sha256: String
    }

    private var inspector: UploadInspector
    private var hasher = SHA256()
    /// Checks an image's structure (JPEG, PNG, WebP, HEIC) once the type is known; nil for other types.
    private var stripper: (any MetadataStripper)?
    /// Chunks read before the inspector decided the type (at most its 64 KiB head), for the stripper; nil once decided.
    private var undecided: [ByteBuffer]? = []
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
        try checkStructure(chunk, type: inspector.decidedType)
    }

    /// The end-of-file verdicts (OOXML and SVG), then clamd's: returns only for bytes that pass every check.
    mutating func finish(expectedSHA256: String? = nil) async throws -> Verified {
        let inspected: InspectedFile
        do {
            inspected = try inspector.finish()
            try checkStructure(nil, type: inspected.type)
            try stripper?.finish()
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

    /// Runs `chunk` through the stripper of `type` (nil until the inspector has decided it), holding chunks until then.
    private mutating func checkStructure(_ chunk: ByteBuffer?, type: AllowedType?) throws(UploadRejection) {
        guard let held = undecided else {
            if let chunk { try strip(chunk) }
            return
        }
        let chunks = held + (chunk.map { [$0] } ?? [])
        guard let type else {
            undecided = chunks
            return
        }
        undecided = nil
        stripper = makeMetadataStripper(for: type)
        for each in chunks { try strip(each) }
    }

    private mutating func strip(_ chunk: ByteBuffer) throws(UploadRejection) {
        guard stripper != nil else { return }
        let result = chunk.withUnsafeReadableBytes { bytes in Result { () throws(UploadRejection) in try stripper?.consume(bytes) } }
        _ = try result.get()
    }

    /// Abandons the scan of a file that will not be finished.
    func cancel() {
        scan?.cancel()
    }
}
