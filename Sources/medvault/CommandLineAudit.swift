import ArgumentParser
import Audit
import Documents
import Foundation
import Persistence
import Server

/// What every administrative subcommand shares: the database of the configured data directory (opened as the server
/// opens it: private directory, audit key), and audit rows that name the command line as their origin (actor
/// `cli:<operating-system user>`).
struct CommandLineContext {
    let configuration: AppConfiguration
    let database: AppDatabase

    init(_ data: DataDirectoryOption) throws {
        configuration = try data.loadConfiguration()
        database = try configuration.openDatabase()
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
