import ArgumentParser
import Audit
import Documents
import Foundation
import Logging
import ObjectStorage
import Persistence
import Server

/// `medvault reconcile`: compares the document index with the store and reports objects without a row (orphans),
/// rows without an object, and size mismatches; exits 1 when it found any. Read-only.
///
/// Both sides are read as key-sorted pages and merged (``Reconciliation``), so the run takes constant memory however
/// many objects the bucket holds, and findings are printed as they are found. Objects under `temp/` and
/// `quarantine/`, and uploads still in progress, are not documents and are left out. One `reconcile.run` audit row
/// records the counts.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Compare the document index with the store; exits 1 if they disagree."
    )

    @OptionGroup var data: DataDirectoryOption

    @Flag(help: "Print the report as JSON: {\"findings\": [...], \"summary\": {...}}.")
    var json = false

    func run() async throws {
        try await CommandLineContext.with(data) { context in
            var logger = Logger(label: "medvault.reconcile")
            logger.logLevel = .warning
            let composition: StorageComposition
            do {
                composition = try StorageComposition(configuration: context.configuration, now: Date.init)
            } catch {
                throw CommandLineContext.fail("the storage backend cannot be opened: \(error)")
            }
            guard case .ready(let store) = composition.access else {
                throw CommandLineContext.fail("document storage is disabled or not configured")
            }
            let output = ReconcileOutput(json: json)
            output.begin()
            let tally: ReconcileTally
            do {
                tally = try await Reconciliation(store: store, database: context.database, logger: logger).run { finding in
                    try output.write(finding)
                }
            } catch {
                try? await composition.shutdown?()
                throw CommandLineContext.fail("reconcile stopped: \(error)")
            }
            try? await composition.shutdown?()
            try await context.database.appendAudit(context.auditEntry(.reconcileRun, detail: tally.summary))
            try output.end(tally)
            if tally.foundSomething { throw ExitCode(1) }
        }
    }
}
