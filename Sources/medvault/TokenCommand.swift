import Access
import ArgumentParser
import Audit
import Documents
import Foundation
import Logging
import Persistence
import Server

/// `medvault token issue`: a bearer token for a user, for service accounts and tests.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Issue bearer tokens.", subcommands: [Issue.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an HS256 bearer token for a user (MEDVAULT_JWT_SECRET, else the data directory's jwt.key)."
        )

        @Option(help: "The user's e-mail address.") var email: String
        @Option(help: "Lifetime in seconds (1 to 2592000).") var ttl = 3600
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            guard (1...2_592_000).contains(ttl) else { throw CommandLineContext.fail("--ttl must be from 1 to 2592000 seconds") }
            try await CommandLineContext.with(data) { context in
                guard let user = try await context.database.user(email: email), !user.disabled else {
                    throw CommandLineContext.fail("no enabled user with that e-mail address")
                }
                let tokens = try await BearerTokens.load(
                    settings: context.configuration.auth,
                    dataDirectory: context.configuration.dataDirectory,
                    now: Date.init,
                    logger: Logger(label: "medvault.token")
                )
                let now = Date()
                let claims = TokenClaims(
                    subject: user.id.lowercaseText,
                    role: user.role.rawValue,
                    patientID: user.patientID,
                    issuedAt: now,
                    expiresAt: now.addingTimeInterval(TimeInterval(ttl))
                )
                let token = try await tokens.issue(claims)
                let entry = context.auditEntry(
                    .authTokenIssue,
                    patientID: user.patientID,
                    detail: "token for user \(user.id.lowercaseText) ttl \(ttl)s"
                )
                try await context.database.appendAudit(entry)
                print(token)
            }
        }
    }
}
