import ArgumentParser
import Audit
import Foundation
import Persistence
import Server

/// `medvault audit …`: tools over the audit trail. Both open the database with the audit key as the server does
/// (`MEDVAULT_AUDIT_KEY`, else the data directory's `audit.key`).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Inspect the audit trail.",
        subcommands: [Verify.self, Anchor.self]
    )

    /// `medvault audit verify [--anchor SEQ:HASH]`: recomputes the keyed chain; exits 1 naming the first edited or
    /// missing row, or the anchor the trail no longer matches.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that no audit row was edited or removed.",
            discussion: """
                With --anchor SEQ:HASH (printed earlier by `medvault audit anchor` and kept elsewhere), also proves that \
                the row at SEQ still has that hash and that the trail still reaches it: nothing up to the anchor was \
                rewritten or cut off, even by someone holding the audit key.
                """
        )

        @Option(help: "A head printed by `medvault audit anchor`, as SEQUENCE:HASH.")
        var anchor: String?

        @OptionGroup var data: DataDirectoryOption

        func validate() throws {
            if let anchor, AuditAnchor(anchor) == nil {
                throw ValidationError("--anchor must be SEQUENCE:HASH, a sequence number and 64 hex digits, as `medvault audit anchor` prints")
            }
        }

        func run() async throws {
            let anchor = self.anchor.flatMap(AuditAnchor.init)
            let verification = try await data.withDatabase { database in try await database.verifyAuditChain(anchor: anchor) }
            try report(verification)
            if let anchor { print("anchor \(anchor) matches") }
        }
    }

    /// `medvault audit anchor`: verifies the chain, then prints its head as `SEQUENCE:HASH` on the last line.
    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the head of the verified audit chain (SEQUENCE:HASH) to keep outside the database.",
            discussion: """
                The last line is SEQUENCE:HASH. Keep it where whoever can write the database cannot (a ticket, a log \
                shipped elsewhere, a notebook) and pass it to `medvault audit verify --anchor` later. A broken chain \
                gets no anchor (exit 1).
                """
        )

        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let (verification, head) = try await data.withDatabase { database in try await database.auditChainHead(anchor: nil) }
            try report(verification)
            print(head)
        }
    }
}

/// Prints an intact verdict, or the break on standard error and exits 1.
private func report(_ verification: AuditVerification) throws {
    switch verification {
    case .intact(let count):
        print("audit chain intact: \(count) rows")
    case .broken(let sequence, let reason):
        FileHandle.standardError.write(Data("audit chain broken at row \(sequence): \(reason)\n".utf8))
        throw ExitCode(1)
    }
}
