import Archive
import ArgumentParser
import Audit
import Documents
import Foundation
import Logging
import Persistence
import Server

/// `medvault export --entity-type patient --entity-id P --out FILE.zip`: the archive that
/// `GET /api/v2/entities/{entityType}/{entityId}/export` streams (the entity's documents, `manifest.json`,
/// `fhir-bundle.json`), written to a file that appears only once complete. Audited `entity.export` with the document
/// count, the row written before the archive is; an export cut short by a document that cannot be read adds a `failed`
/// row naming it, and leaves no file.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every document of an entity, with a manifest and a FHIR R4 bundle, to a ZIP file."
    )

    @Option(help: "patient, provider, appointment or prescription.") var entityType: String
    @Option(help: "The entity's id.") var entityId: String
    @Option(help: "The ZIP file to write (replaced if it exists).") var out: String
    @Flag(help: "Add the entity's archived documents.") var includeArchived = false
    /// Writes every size, offset and count the ZIP64 way, so that tests can read such archives back without 4 GiB.
    @Flag(help: .hidden) var forceZip64 = false
    @OptionGroup var data: DataDirectoryOption

    func run() async throws {
        guard let type = EntityType(rawValue: entityType) else {
            throw CommandLineContext.fail("--entity-type must be one of: \(EntityType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let id = try? EntityID(validating: entityId) else {
            throw CommandLineContext.fail("--entity-id must be 1 to \(EntityID.maxLength) letters, digits, '_' or '-'")
        }
        let destination = URL(fileURLWithPath: out).standardizedFileURL
        try await CommandLineContext.with(data) { context in
            var logger = Logger(label: "medvault.export")
            logger.logLevel = .warning
            try await context.withStore { store in
                let export = try await EntityExport.gather(
                    type,
                    id,
                    includingArchived: includeArchived,
                    from: context.database,
                    at: Date(),
                    thresholds: forceZip64 ? .always : .standard
                )
                let patientID = type == .patient ? id.rawValue : nil
                let row = context.auditEntry(.entityExport, patientID: patientID, detail: export.auditDetail)
                try await context.database.appendAudit(row)
                let size: UInt64
                do {
                    size = try await export.write(from: store, toFileAt: destination, logger: logger)
                } catch let error as ExportError {
                    // As the API does: the first row stays, a second one says the export failed and on which document.
                    var failure = row
                    failure.occurredAt = Date()
                    failure.outcome = .failed
                    failure.errorCode = error.code
                    failure.documentID = error.documentID
                    _ = try? await context.database.appendAudit(failure)  // best effort: the command fails either way
                    throw CommandLineContext.fail("export stopped, no file written: \(error)")
                }
                print("exported \(export.documents.count) documents (\(size) bytes) to \(destination.path)")
            }
        }
    }
}
