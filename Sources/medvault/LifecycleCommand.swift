import ArgumentParser
import Foundation
import Logging
import Server

/// `medvault lifecycle run [--dry-run] [--as-of INSTANT]`: applies the lifecycle rules (`MEDVAULT_TEMP_RETENTION_DAYS`,
/// `MEDVAULT_ARCHIVE_AFTER_DAYS`, `MEDVAULT_ARCHIVED_RETENTION_DAYS`) once and prints one line per action; `--dry-run`
/// only prints what it would do, and `--as-of` plans as if it were that instant (for previews and tests).
struct LifecycleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifecycle",
        abstract: "Apply the document lifecycle rules.",
        subcommands: [Run.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Expire temp/ uploads, transition old documents and erase old archived ones; prints each action."
        )

        @Flag(help: "Print what would be done without doing it.") var dryRun = false
        @Option(help: "Run the rules as if it were this instant (RFC 3339, e.g. 2027-01-01T00:00:00Z).") var asOf: String?
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let instant =
                try asOf.map { text throws(ExitCode) in
                    guard let date = RFC3339Timestamp.parse(text) else {
                        throw CommandLineContext.fail("--as-of must be an RFC 3339 instant such as 2027-01-01T00:00:00Z")
                    }
                    return date
                } ?? Date()
            try await CommandLineContext.with(data) { context in
                var logger = Logger(label: "medvault.lifecycle")
                logger.logLevel = .warning
                try await context.withStore { store in
                    let run = LifecycleRun(
                        rules: context.configuration.lifecycle,
                        database: context.database,
                        store: store,
                        actorID: "cli:\(ProcessInfo.processInfo.userName)",
                        logger: logger
                    )
                    var counts: [String: Int] = [:]
                    try await run.run(at: instant, dryRun: dryRun) { action, result in
                        let verb = dryRun ? "would" : result.rawValue
                        print(
                            "\(verb) \(action.name) \(action.documentID.uuidString.lowercased()) \(action.key)\(action.storageClass.map { " " + $0 } ?? "")"
                        )
                        counts[action.name, default: 0] += 1
                    }
                    for name in ["lifecycle.expire", "lifecycle.transition", "lifecycle.erase"] {
                        print("\(name): \(counts[name, default: 0])")
                    }
                }
            }
        }
    }
}
