import Audit
import ContentValidation
import Crypto
import Documents
import Foundation
import HTTPTypes
import Logging
import NIOCore
import ObjectStorage
import Persistence
import Scanning

/// Brings one manifest row's file into medvault exactly as an API upload would bring it: the upload's target
/// validation, then ``FileUpload`` (the upload inspector, clamd when configured, the store's encrypting writer, the
/// upload intent), then the document row, its import row and its `document.import` audit row in one transaction.
///
/// A `--dry-run` reads each file through the same checks (``FileContentCheck``) and stores nothing: no object, no
/// row, no audit row. Every row ends as an ``ImportOutcome``; a refused row's code is the upload API's for the same
/// fault (`type_mismatch`, `malware_detected`, …) or an ``ImportRefusal``'s.
///
/// - important: file names, sources and patient ids go into the report and the audit rows only, never the log.
package struct DocumentImporter: Sendable {
    let database: any AppDatabase
    let store: any ObjectStore
    let sources: ImportSources
    let sniffer: MagicSniffer
    let limits: SizeLimits
    let antivirus: Antivirus
    let dryRun: Bool
    /// Makes the previews of imported images and PDFs.
    let previews: DocumentPreviews
    let now: @Sendable () -> Date
    let makeUUID: @Sendable () -> UUID
    /// A `document.import` audit row from the command line, naming the patient and carrying the detail.
    let auditEntry: @Sendable (_ patientID: String?, _ detail: String) -> AuditEntry
    /// Enqueues the poster (and transcode) jobs of an imported video, which the server's worker runs.
    let videoJobs: VideoJobQueue?
    let logger: Logger

    /// An importer into `store` and `database`; `dryRun` stores nothing.
    package init(
        database: any AppDatabase,
        store: any ObjectStore,
        sources: ImportSources,
        sniffer: MagicSniffer,
        limits: SizeLimits,
        antivirus: Antivirus,
        dryRun: Bool,
        previews: DocumentPreviews = .off,
        now: @escaping @Sendable () -> Date = Date.init,
        makeUUID: @escaping @Sendable () -> UUID = UUID.init,
        auditEntry: @escaping @Sendable (_ patientID: String?, _ detail: String) -> AuditEntry,
        videoJobs: VideoJobQueue? = nil,
        logger: Logger
    ) {
        self.database = database
        self.store = store
        self.sources = sources
        self.sniffer = sniffer
        self.limits = limits
        self.antivirus = antivirus
        self.dryRun = dryRun
        self.previews = previews
        self.now = now
        self.makeUUID = makeUUID
        self.auditEntry = auditEntry
        self.videoJobs = videoJobs
        self.logger = logger
    }

    /// Imports (or, dry, checks) one row. Throws only when a refusal cannot be audited; every fault of the row
    /// itself is its outcome.
    package func run(_ row: ManifestRow) async throws -> ImportOutcome {
        var patientID: String?
        do {
            let target = try await target(of: row)
            patientID = target.entityType == .patient ? target.entityID.rawValue : nil
            return try await bring(row, target: target)
        } catch {
            let (refusal, detail) = refusal(error, line: row.line)
            if !dryRun {
                var entry = auditEntry(patientID, "source: \(row.source)" + (detail.map { "; \($0)" } ?? ""))
                entry.outcome = .rejected
                entry.errorCode = refusal.code
                try await database.appendAudit(entry)
            }
            return ImportOutcome(row: row, refusal: refusal)
        }
    }

    private func bring(_ row: ManifestRow, target: UploadTarget) async throws -> ImportOutcome {
        let source = try ImportSource(row.source)
        let uploadedAt = try uploadedAt(row.uploadedAt)
        let fileName = FileNameSanitizer.sanitize(row.fileName)
        let previous = try await database.documentImports(source: row.source)
        if dryRun {
            let sha256 = try await check(source, fileName: fileName, target: target)
            if case .skip(let earlier) = ImportDecision(previous: previous, sha256: sha256) {
                return ImportOutcome(row: row, status: .wouldSkip, documentID: earlier.documentID, key: earlier.key, sha256: sha256)
            }
            return ImportOutcome(row: row, status: .wouldImport, sha256: sha256)
        }
        var decision = ImportDecision(previous: previous)
        if decision == .hashFirst {
            decision = ImportDecision(previous: previous, sha256: try await digest(source))
        }
        if case .skip(let earlier) = decision {
            return ImportOutcome(row: row, status: .skipped, documentID: earlier.documentID, key: earlier.key, sha256: earlier.sha256)
        }
        let record = try await store(source, fileName: fileName, target: target, uploadedAt: uploadedAt, row: row)
        return ImportOutcome(row: row, status: .imported, documentID: record.id, key: record.key, sha256: record.sha256)
    }

    /// Streams the source through ``FileUpload`` into the store, then commits the row, its import and its audit row;
    /// whatever was stored of a file that fails is removed.
    private func store(
        _ source: ImportSource,
        fileName: String,
        target: UploadTarget,
        uploadedAt: Date,
        row: ManifestRow
    ) async throws -> DocumentRecord {
        var upload = FileUpload(
            fileName: fileName,
            target: target,
            documentID: makeUUID(),
            sniffer: sniffer,
            limits: limits,
            store: store,
            intents: .database(database, now: now),
            antivirus: antivirus,
            logger: logger
        )
        do {
            try await Self.drain(try await sources.open(source, logger: logger)) { try await upload.append($0) }
            let record = try await upload.finish(uploadedAt: uploadedAt)
            var entry = auditEntry(
                target.entityType == .patient ? target.entityID.rawValue : nil,
                Self.detail(row, antivirus: antivirus, removedMetadata: upload.removedMetadata)
            )
            entry.documentID = record.apiID
            entry.documentKey = record.key
            try await database.insertImportedDocument(
                record,
                source: row.source,
                sourceSHA256: upload.receivedSHA256 ?? record.sha256,
                at: now(),
                audit: entry
            )
            await videoJobs?.enqueue(for: [record], logger: logger)
            await previews.make(for: [record], store: store, logger: logger)
            return record
        } catch {
            await upload.discard()
            throw error
        }
    }

    /// The checks of an upload on the source's bytes, storing nothing; returns their SHA-256.
    private func check(_ source: ImportSource, fileName: String, target: UploadTarget) async throws -> String {
        let key = KeyLayout.documentKey(
            entityType: target.entityType,
            entityID: target.entityID,
            category: target.category,
            documentID: makeUUID(),
            fileName: fileName
        )
        var check = try await FileContentCheck(
            fileName: fileName,
            category: target.category,
            key: key.rawValue,
            sniffer: sniffer,
            limits: limits,
            antivirus: antivirus
        )
        do {
            try await Self.drain(try await sources.open(source, logger: logger)) { try await check.consume($0) }
        } catch {
            check.cancel()
            throw error
        }
        return try await check.finish().sha256
    }

    /// The SHA-256 of the source's bytes, read once.
    private func digest(_ source: ImportSource) async throws -> String {
        var hasher = SHA256()
        try await Self.drain(try await sources.open(source, logger: logger)) { chunk in
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Hands each chunk of `body` to `consume`; a failure to read the source is ``ImportRefusal/sourceUnreadable``,
    /// while what `consume` throws (a refusal of the bytes) passes as it is.
    private static func drain(
        _ body: some AsyncSequence<ByteBuffer, any Error>,
        into consume: (ByteBuffer) async throws -> Void
    ) async throws {
        var iterator = body.makeAsyncIterator()
        while true {
            let next: ByteBuffer?
            do {
                next = try await iterator.next()
            } catch let refusal as ImportRefusal {
                throw refusal
            } catch {
                throw ImportRefusal.sourceUnreadable
            }
            guard let chunk = next else { return }
            try await consume(chunk)
        }
    }

    /// The row's target, validated as an upload's form fields are; `uploadedBy` must name an existing user.
    private func target(of row: ManifestRow) async throws -> UploadTarget {
        guard !row.fileName.isEmpty else {
            throw APIError(.badRequest, code: "missing_file_name", message: "A file part must carry a file name.")
        }
        let uploader = try await uploader(row.uploadedBy.trimmingCharacters(in: .whitespaces))
        return try UploadTarget(category: row.category, entityType: row.entityType, entityID: row.entityID, uploadedBy: uploader)
    }

    /// The id of the user `text` names (an e-mail address, or a user id), or nil for an empty value.
    private func uploader(_ text: String) async throws -> String? {
        guard !text.isEmpty else { return nil }
        let user: UserRecord?
        if text.contains("@") {
            user = try await database.user(email: text.lowercased())
        } else if let id = UUID(parsing: text) {
            user = try await database.user(id: id)
        } else {
            user = nil
        }
        guard let user else { throw ImportRefusal.unknownUser }
        return user.id.lowercaseText
    }

    private func uploadedAt(_ text: String) throws(ImportRefusal) -> Date {
        guard !text.isEmpty else { return now() }
        guard let date = RFC3339Timestamp.parse(text) else { throw .invalidUploadedAt }
        return date
    }

    /// The success row's detail: where the file came from, the scan's verdict when clamd scanned it, and whether
    /// metadata was removed.
    private static func detail(_ row: ManifestRow, antivirus: Antivirus, removedMetadata: Bool) -> String {
        let upload = UploadAudit.detail(scanned: antivirus.scans, removedMetadata: removedMetadata)
        return "source: \(row.source)" + (upload.map { "; \($0)" } ?? "")
    }

    /// A refused row's code and message, the upload API's where it has one, and what the audit row's detail adds
    /// (the malware signature, the scan's failure).
    private func refusal(_ error: any Error, line: Int) -> (refusal: ImportRefusal, detail: String?) {
        if let refusal = error as? ImportRefusal { return (refusal, nil) }
        let detail: String? =
            switch error {
            case let finding as MalwareFinding: finding.auditDetail
            case let scanError as ScanError: "scan: \(scanError.code)"
            default: nil
            }
        guard let api = APIError.translating(error) else {
            // Only the error's type: an unexpected error's description might carry a value of the row.
            logger.error("a manifest row could not be imported", metadata: ["line": "\(line)", "error": "\(type(of: error))"])
            return (ImportRefusal(code: APIError.unexpected.code, message: "an unexpected error stopped this file (see the log)"), detail)
        }
        return (ImportRefusal(code: api.code, message: api.message), detail)
    }
}
