import ArgumentParser
import Audit
import ContentValidation
import Foundation
import Logging
import Server

/// `medvault import`: brings existing files into medvault from a CSV manifest, each exactly as an API upload would
/// bring it (the same checks, scan included when configured; stored, indexed and audited `document.import`), and
/// writes a report mapping each source to its document or to the refusal's code.
///
/// The manifest is checked whole before anything is stored (exit 2 for a manifest or configuration fault), then
/// imported row by row. A row whose source was imported before with the same SHA-256 is skipped, so a run can be
/// repeated. Exit status: 0 when every row was imported or skipped, 1 when any row was refused.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import existing files listed in a CSV manifest; exits 1 if any row was refused, 2 for a bad manifest.",
        discussion: """
            The manifest's header names its columns, in any order: source (a local path, or s3://bucket/key on the \
            configured S3 endpoint), fileName, category, entityType, entityId, and optionally uploadedAt (RFC 3339, \
            e.g. 2024-05-01T09:30:00Z; default: now) and uploadedBy (an existing user's e-mail address or id; \
            default: none). Sources are only read, never modified or removed.
            """
    )

    @OptionGroup var data: DataDirectoryOption

    @Option(help: "The CSV manifest to import.")
    var manifest: String

    @Option(help: "Where to write the report (CSV; default: the manifest's path with .report.csv appended).")
    var report: String?

    @Flag(help: "Check every row as an import would, and store nothing; the report says what would happen.")
    var dryRun = false

    func run() async throws {
        try await CommandLineContext.with(data) { context in
            var logger = Logger(label: "medvault.import") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = .warning
            let sources = ImportSources(
                s3: context.configuration.s3.map { StorageComposition.s3Configuration($0, region: context.configuration.region) }
            )
            let rows = try await Self.checkManifest(ImportManifest(path: manifest), sources: sources)
            let antivirus: Antivirus
            let sniffer: MagicSniffer
            do {
                antivirus = try await Antivirus.start(configuration: context.configuration, logger: logger)
                sniffer = try MagicSniffer()
            } catch {
                throw Self.configurationFault("\(error)")
            }
            let output: ImportReport
            do {
                output = try ImportReport(path: report ?? manifest + ".report.csv")
            } catch {
                throw Self.configurationFault("\(error)")
            }
            defer { output.close() }
            var refused = false
            do {
                try await context.withStore(failingWith: 2) { store in
                    let importer = DocumentImporter(
                        database: context.database,
                        store: store,
                        sources: sources,
                        sniffer: sniffer,
                        limits: context.configuration.enforcedSizeLimits,
                        antivirus: antivirus,
                        dryRun: dryRun,
                        previews: .start(
                            enabled: context.configuration.previews,
                            limits: context.configuration.enforcedSizeLimits,
                            logger: logger
                        ),
                        auditEntry: { patientID, detail in context.auditEntry(.documentImport, patientID: patientID, detail: detail) },
                        videoJobs: VideoJobQueue(database: context.database, settings: context.configuration.video),
                        logger: logger
                    )
                    let progress = ImportProgress(total: rows)
                    defer { progress.end() }
                    try await ImportManifest(path: manifest).forEachRow { row in
                        let outcome = try await importer.run(row)
                        try output.write(outcome)
                        progress.record(outcome)
                        refused = refused || outcome.isRefusal
                    }
                }
            } catch {
                await sources.shutdown()
                throw error
            }
            await sources.shutdown()
            if refused { throw ExitCode(1) }
        }
    }

    /// Reads the whole manifest once before anything is stored: returns its number of rows, or exits 2 for a
    /// malformed manifest, or `s3://` sources without S3 settings.
    static func checkManifest(_ manifest: ImportManifest, sources: ImportSources) async throws -> Int {
        var rows = 0
        do {
            try await manifest.forEachRow { row in
                rows += 1
                if !sources.readsS3, row.source.hasPrefix("s3://") { throw ManifestError.s3NotConfigured(line: row.line) }
            }
        } catch let error as ManifestError {
            throw configurationFault(error.description)
        }
        return rows
    }

    /// Prints `message` to standard error and exits with status 2: nothing was imported.
    static func configurationFault(_ message: String) -> ExitCode {
        CommandLineContext.fail("\(message); nothing was imported", status: 2)
    }
}
