import ArgumentParser
import Audit
import Documents
import Foundation
import Logging
import ObjectStorage
import Persistence
import Server

/// `medvault reconcile [--fix] [--grace SECONDS]`: compares the document index with the store and reports objects
/// without a row (orphans), rows without an object, and size mismatches; with `--fix`, deletes orphans older than the
/// grace and marks rows whose object is gone `missing`.
///
/// Both sides are read as key-sorted pages and merged (``Reconciliation``), so the run takes constant memory however
/// many objects the bucket holds, and findings are printed (and fixed) as they are found. Objects under `temp/` and
/// `quarantine/`, and uploads still in progress, are not documents and are left out. One `reconcile.run` audit row
/// records the counts, one row more per fix (``ReconcileRepair``).
///
/// Exit status: 0 when the index and the store agree (or every finding was fixed), 1 when something is left to look
/// at (findings without `--fix`; orphans younger than the grace or size mismatches with it), 2 when the run failed.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Compare the document index with the store; --fix repairs what it can.",
        discussion: "Exits 0 when they agree or everything was fixed, 1 when findings remain, 2 when the run failed."
    )

    /// The exit status of a run that could not finish.
    static let failed = ExitCode(2)

    @OptionGroup var data: DataDirectoryOption

    @Flag(help: "Print the report as JSON: {\"findings\": [...], \"summary\": {...}}.")
    var json = false

    @Flag(help: "Delete orphans older than the grace and mark rows whose object is gone `missing`.")
    var fix = false

    @Option(help: "With --fix, keep orphans written less than this many seconds ago (an upload may be committing).")
    var grace = 86_400

    func validate() throws {
        guard grace >= 0 else { throw ValidationError("--grace must be a number of seconds, 0 or more") }
    }

    func run() async throws {
        let unresolved: Bool
        do {
            unresolved = try await reconcile()
        } catch is ExitCode {
            throw Self.failed
        } catch {
            FileHandle.standardError.write(Data("medvault: reconcile failed: \(error)\n".utf8))
            throw Self.failed
        }
        if unresolved { throw ExitCode(1) }
    }

    /// Runs the comparison (and the repair); returns whether findings are left unresolved.
    private func reconcile() async throws -> Bool {
        var unresolved = false
        try await CommandLineContext.with(data) { context in
            var logger = Logger(label: "medvault.reconcile")
            logger.logLevel = .warning
            try await context.withStore { store in
                let repair =
                    fix
                    ? ReconcileRepair(
                        store: store,
                        database: context.database,
                        grace: TimeInterval(grace),
                        now: Date(),
                        template: context.auditEntry(.reconcileRun, detail: ""),
                        logger: logger
                    ) : nil
                let output = ReconcileOutput(json: json)
                output.begin()
                var fixes = ReconcileFixTally()
                let tally: ReconcileTally
                do {
                    tally = try await Reconciliation(store: store, database: context.database, logger: logger).run { finding in
                        let outcome = try await repair?.fix(finding)
                        fixes.count(outcome)
                        try output.write(finding, outcome: outcome)
                    }
                } catch {
                    throw CommandLineContext.fail("reconcile stopped: \(error)")
                }
                let summary = repair == nil ? tally.summary : "\(tally.summary); \(fixes.summary)"
                try await context.database.appendAudit(context.auditEntry(.reconcileRun, detail: summary))
                try output.end(tally, fixes: repair == nil ? nil : fixes)
                unresolved = repair == nil ? tally.foundSomething : fixes.unresolved > 0
            }
        }
        return unresolved
    }
}
