import ArgumentParser
import Foundation
import Logging
import ObjectStorage
import Server

/// `medvault uploads sweep`: removes now what dead uploads left, as the server's timer does: the staged objects and
/// parts of expired direct upload sessions (marked `expired`), and the objects of upload intents older than
/// `MEDVAULT_UPLOAD_INTENT_GRACE`. For a deployment whose servers are down, or to clean up before a backup.
struct UploadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uploads",
        abstract: "Maintain unfinished uploads.",
        subcommands: [Sweep.self]
    )

    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove what expired direct uploads and abandoned uploads left in storage; prints the counts."
        )

        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            try await CommandLineContext.with(data) { context in
                var logger = Logger(label: "medvault.uploads")
                logger.logLevel = .warning
                try await context.withStore { store in
                    let outcome = await AbandonedUploadSweep(
                        configuration: context.configuration,
                        database: context.database,
                        store: store,
                        now: Date.init,
                        logger: logger
                    ).run()
                    print("expired direct upload sessions: \(outcome.expiredSessions)")
                    print("abandoned uploads removed: \(outcome.clearedIntents)")
                }
            }
        }
    }
}
