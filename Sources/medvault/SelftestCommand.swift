import ArgumentParser
import Audit
import Foundation
import Logging
import Persistence
import SelfCheck
import Server

/// `medvault selftest`: the checks of the `/test/s3` page from the command line, against the store the server
/// would open with the same configuration, so a deployment can be gated on it. Prints one line per check and a
/// summary, writes one `storage.selftest` audit row, and exits 1 when any check failed.
///
/// No server has to run: the local store's pre-signed URLs are then verified in process (the detail says so).
struct SelftestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Check the configured storage backend end to end; exits 1 if any check fails.",
        discussion: """
            Runs the checks of the /test/s3 page: feature flag, configuration, write/read/delete round trip, \
            pre-signed URL fetch, expiry and tampering, listing and metadata, a 12 MiB (multipart) object, \
            encryption read back from the objects' headers, the antivirus (clamd reachable, its version and \
            signatures, the EICAR test file refused, scanned from memory), and cleanup. Objects are written under \
            temp/ only.
            """
    )

    @OptionGroup var data: DataDirectoryOption

    func run() async throws {
        // The audit row goes to the data directory's database, which a fresh host may not have yet: the context
        // creates both.
        try await CommandLineContext.with(data) { context in
            let configuration = context.configuration
            let logger = Logger.command("medvault.selftest", defaultLevel: .error)
            let composition = try CommandLineContext.openStorage(configuration)
            let report = await SelfCheck(
                configuration: configuration,
                storage: composition.access,
                presignedURLs: composition.presignedURLs,
                cloudFront: composition.cloudFront,
                antivirus: Antivirus(configuration.antivirus),
                environment: ProcessInfo.processInfo.environment
            ).run(logger: logger)
            try? await composition.shutdown?()

            print("storage self-check: \(report.backend)")
            let width = report.results.map(\.name.count).max() ?? 0
            for result in report.results {
                let name = result.name.padding(toLength: width, withPad: " ", startingAt: 0)
                let duration = result.formattedDuration.padding(toLength: 8, withPad: " ", startingAt: 0)
                print(
                    "\(result.status.rawValue.uppercased().padding(toLength: 4, withPad: " ", startingAt: 0))  \(name)  \(duration)  \(result.detail)"
                )
            }
            print(report.summary)
            try await context.database.appendAudit(context.auditEntry(.storageSelftest, detail: report.auditDetail))
            if !report.passed { throw ExitCode(1) }
        }
    }
}
