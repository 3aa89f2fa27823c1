import ArgumentParser
import Audit
import Documents
import Foundation
import ObjectStorage
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

    /// Opens the configured document store, runs `body` with it, and shuts the store's clients down however `body`
    /// ends; fails (exit status `status`) when storage is disabled or not configured.
    func withStore(failingWith status: Int32 = 1, _ body: (any ObjectStore) async throws -> Void) async throws {
        let composition = try Self.openStorage(configuration, failingWith: status)
        guard case .ready(let store) = composition.access else {
            throw Self.fail("document storage is disabled or not configured", status: status)
        }
        do {
            try await body(store)
        } catch {
            try? await composition.shutdown?()
            throw error
        }
        try? await composition.shutdown?()
    }

    /// Prints `message` to standard error and exits with `status` (1 unless a command documents another).
    /// The configured storage (with its clients, to shut down), or the command's failure naming why it cannot be opened.
    static func openStorage(_ configuration: AppConfiguration, failingWith status: Int32 = 1) throws -> StorageComposition {
        do {
            return try StorageComposition(configuration: configuration, now: Date.init)
        } catch {
            throw fail("the storage backend cannot be opened: \(error)", status: status)
        }
    }

    static func fail(_ message: String, status: Int32 = 1) -> ExitCode {
        FileHandle.standardError.write(Data("medvault: \(message)\n".utf8))
        return ExitCode(status)
    }
}
