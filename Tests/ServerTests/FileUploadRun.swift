import ContentValidation
import Crypto
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage
import Persistence

@testable import Server

/// Runs a whole file through a ``FileUpload`` into a local store under `directory`, in 64 KiB chunks as a request
/// body arrives, and aborts the upload when it fails; returns the record and the finished upload.
enum FileUploadRun {
    static let logger = Logger(label: "FileUploadRun", factory: { _ in SwiftLogNoOpLogHandler() })

    static func upload(
        _ body: [UInt8],
        fileName: String = "report.pdf",
        antivirus: Antivirus = .off,
        directory: URL
    ) async throws -> (record: DocumentRecord, upload: FileUpload) {
        let store = LocalObjectStore(dataDirectory: directory, masterKey: SymmetricKey(data: [UInt8](repeating: 7, count: 32)))
        var upload = FileUpload(
            fileName: fileName,
            target: UploadTarget(category: .labResults, entityType: .patient, entityID: try EntityID(validating: "P-1"), uploadedBy: "t"),
            documentID: UUID(),
            sniffer: try MagicSniffer(),
            limits: .standard,
            store: store,
            intents: UploadIntentLog(record: { _ in }, forget: { _ in }),
            antivirus: antivirus,
            logger: logger
        )
        do {
            for start in stride(from: 0, to: body.count, by: 65_536) {
                try await upload.append(ByteBuffer(bytes: body[start..<min(start + 65_536, body.count)]))
            }
            return (try await upload.finish(uploadedAt: Date()), upload)
        } catch {
            await upload.abort()
            throw error
        }
    }
}
