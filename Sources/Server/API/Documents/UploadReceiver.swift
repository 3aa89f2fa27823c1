import ContentValidation
import Documents
import Foundation
import HTTPTypes
import Logging
import Multipart
import NIOCore
import ObjectStorage
import Persistence

/// The state of one upload request: multipart events in, stored files out (RFC 7578 form data).
///
/// The fields `category`, `entityType` and `entityId` must precede the `file` parts, since a file's key is
/// built from them before its first byte is stored. A request is all or nothing: ``discard(after:)`` removes the
/// objects of every file already received when a later one is rejected, and whatever a failed file may have
/// left, then forgets their upload intents.
struct UploadReceiver {
    /// Files per request; more is refused before anything of the extra file is stored.
    static let maxFiles = 20
    /// Bytes per ordinary form field.
    static let maxFieldBytes = 1024

    private var parser: MultipartParser
    private var fields: [String: String] = [:]
    private var field: (name: String, value: ByteBuffer)?
    private var current: FileUpload?
    private var skippingEmptyFileInput = false
    private(set) var completed: [DocumentRecord] = []
    /// The ids of completed files whose stored bytes leave out metadata the upload carried (``FileUpload/removedMetadata``).
    private(set) var strippedDocuments: Set<UUID> = []
    /// Keys of files that failed after their upload intent was recorded: something may be stored there.
    private var failedKeys: [String] = []
    /// The patient the form names, once a file part makes the fields count: a refused upload's audit row
    /// names them too, so an administrator can see who was asked about.
    private(set) var patientID: EntityID?
    private let dependencies: UploadDependencies
    private let logger: Logger

    init(boundary: String, dependencies: UploadDependencies, logger: Logger) {
        self.parser = MultipartParser(boundary: boundary)
        self.dependencies = dependencies
        self.logger = logger
    }

    /// Feeds the next chunk of the request body.
    mutating func consume(_ chunk: ByteBuffer) async throws {
        for event in try parser.parse(chunk) {
            switch event {
            case .partBegin(let headers):
                try begin(headers)
            case .body(let bytes):
                try await append(bytes)
            case .partEnd:
                try await endPart()
            }
        }
    }

    /// Call once the body has ended; returns the records of every stored file.
    mutating func finish() throws -> [DocumentRecord] {
        try parser.finish()
        guard !completed.isEmpty else {
            throw APIError(.badRequest, code: "no_file", message: "The form has no `file` part.")
        }
        return completed
    }

    /// Removes what this request stored: the file in flight, every completed one, and what a failed one left; then
    /// forgets the upload intents of the keys it cleared. When the request failed because storage is unavailable, or
    /// at the first key that cannot be cleared, it leaves the rest to the abandoned-upload sweep (the keys keep their
    /// intents), so that an outage does not hold the answer for another deadline per file.
    func discard(after failure: any Error) async {
        await current?.abort()
        var keys = completed.map(\.key) + failedKeys
        if let current, await current.intentRecorded() { keys.append(current.key.rawValue) }
        if (failure as? StorageError)?.code == "storage_unavailable" { keys = [] }
        var cleared: [String] = []
        for key in keys {
            do {
                try await dependencies.store.removeAbandonedUpload(key: key, logger: logger)
                cleared.append(key)
            } catch {
                logger.warning("could not remove a failed upload's objects; the abandoned-upload sweep will", metadata: ["error": "\(error)"])
                break
            }
        }
        await dependencies.intents.forget(cleared)
    }

    private mutating func begin(_ headers: PartHeaders) throws {
        guard let rawFileName = headers.fileName else {
            field = (headers.name, ByteBuffer())
            return
        }
        if rawFileName.isEmpty {
            // A browser's empty file input: a part with `filename=""` and no bytes. Nothing to store.
            skippingEmptyFileInput = true
            return
        }
        guard headers.name == "file" else {
            throw APIError(.badRequest, code: "unexpected_field", message: "Files must be sent in parts named `file`.")
        }
        guard completed.count < Self.maxFiles else {
            throw APIError(.badRequest, code: "too_many_files", message: "At most \(Self.maxFiles) files per upload.")
        }
        current = FileUpload(
            fileName: FileNameSanitizer.sanitize(rawFileName),
            target: try target(),
            documentID: dependencies.makeUUID(),
            sniffer: dependencies.sniffer,
            limits: dependencies.limits,
            store: dependencies.store,
            intents: dependencies.intents,
            antivirus: dependencies.antivirus,
            logger: logger
        )
    }

    private mutating func append(_ bytes: ByteBuffer) async throws {
        if current != nil {
            try await current?.append(bytes)
        } else if skippingEmptyFileInput {
            throw APIError(.badRequest, code: "missing_file_name", message: "A file part must carry a file name.")
        } else if var field {
            guard field.value.readableBytes + bytes.readableBytes <= Self.maxFieldBytes else {
                throw APIError(.badRequest, code: "field_too_large", message: "Form fields are limited to \(Self.maxFieldBytes) bytes.")
            }
            var bytes = bytes
            field.value.writeBuffer(&bytes)
            self.field = field
        }
    }

    private mutating func endPart() async throws {
        skippingEmptyFileInput = false
        if var file = current {
            current = nil
            do {
                let record = try await file.finish(uploadedAt: dependencies.now())
                completed.append(record)
                if file.removedMetadata { strippedDocuments.insert(record.id) }
            } catch {
                await file.abort()
                if await file.intentRecorded() { failedKeys.append(file.key.rawValue) }
                throw error
            }
        } else if let field {
            fields[field.name] = String(buffer: field.value)
            self.field = nil
        }
    }

    /// Validates the form fields when the first file part begins.
    private mutating func target() throws -> UploadTarget {
        let missing = ["category", "entityType", "entityId"].filter { fields[$0] == nil }
        guard missing.isEmpty else {
            throw APIError(
                .badRequest,
                code: "missing_field",
                message: "Missing form field(s): \(missing.joined(separator: ", ")); send them before the file part(s)."
            )
        }
        let target = try UploadTarget(
            category: fields["category", default: ""],
            entityType: fields["entityType", default: ""],
            entityID: fields["entityId", default: ""],
            uploadedBy: dependencies.uploadedBy
        )
        if target.entityType == .patient { patientID = target.entityID }
        try dependencies.authorize(target)
        return target
    }
}

/// What an upload needs from the application: the store and its intent log, the antivirus, the sniffer, the clock and
/// UUID source (inputs, so that tests can pin them), who is uploading, and the access check that runs once the entity
/// is known and before anything is stored.
struct UploadDependencies: Sendable {
    let store: any ObjectStore
    let intents: UploadIntentLog
    let antivirus: Antivirus
    let sniffer: MagicSniffer
    /// The configured size limits (`MEDVAULT_MAX_*_MB`).
    let limits: SizeLimits
    let now: @Sendable () -> Date
    let makeUUID: @Sendable () -> UUID
    let uploadedBy: String
    let authorize: @Sendable (UploadTarget) throws -> Void
}
