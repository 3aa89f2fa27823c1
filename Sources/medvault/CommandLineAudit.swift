import ArgumentParser
import Audit
import Documents
import Foundation
import Persistence
import Server

/// What every administrative subcommand shares: the configured database (opened as the server opens it: `DATABASE_URL`
/// or the data directory's SQLite file, private directory, audit key), and audit rows that name the command line as
/// their origin (actor `cli:<operating-system user>`).
struct CommandLineContext {
    let configuration: AppConfiguration
    let database: any AppDatabase

    /// Opens the database of `data`'s configuration, runs `body` with it, and closes it however `body` ends.
    static func with(_ data: DataDirectoryOption, _ body: (CommandLineContext) async throws -> Void) async throws {
        let configuration = try data.loadConfiguration()
        try await data.withDatabase { database in
            try await body(CommandLineContext(configuration: configuration, database: database))
        }
    }

    /// An audit row for an action taken from the command line.
    func auditEntry(_ action: AuditAction, patientID: String? = nil, detail: String) -> AuditEntry {
        AuditEntry(
            occurredAt: Date(),
            action: action,
            outcome: .success,
            patientID: patientID,
            actorID: "cli:\(ProcessInfo.processInfo.userName)",
            requestID: "cli-\(UUID().lowercaseText)",
            detail: detail
        )
    }

    /// Prints `message` to standard error and exits with status 1.
    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("medvault: \(message)\n".utf8))
        return ExitCode(1)
    }
}
