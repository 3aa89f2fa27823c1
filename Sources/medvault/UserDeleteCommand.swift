import Access
import ArgumentParser
import Audit
import Documents
import Foundation
import Logging
import Persistence
import Server

/// `medvault user delete --email E [--erase-documents]`: ends an account for good.
///
/// The account is disabled, as `user disable` does (it can no longer sign in and its sessions end); its row stays,
/// because the audit trail names it. With `--erase-documents`, the user's folder (`patients/{patientId}/` for a
/// patient, `providers/{providerId}/` for a provider, and the same under `archived/`) is first erased for good through
/// the same path as `POST /api/v2/entities/{entityType}/{entityId}/erasure` (``EntityErasure``), so deleting a profile
/// leaves no orphaned files; a document under legal hold refuses it and nothing changes.
struct UserDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a user account (disable it for good); --erase-documents also erases their folder."
    )

    @Option(help: "E-mail address of the account.") var email: String
    @Flag(help: "Erase every document of the user's folder first (patients/{patientId}/ or providers/{providerId}/).")
    var eraseDocuments = false
    @Option(help: "With --erase-documents: why, kept in the entity.erase audit row.") var reason = "user account deleted"
    @OptionGroup var data: DataDirectoryOption

    func run() async throws {
        try await CommandLineContext.with(data) { context in
            guard let user = try await context.database.user(email: email) else {
                throw CommandLineContext.fail("no user with that e-mail address")
            }
            if eraseDocuments, let (type, id) = Self.folder(of: user) {
                try await erase(type, id, context: context)
            }
            _ = try await context.database.disableUser(
                email: email,
                audit: context.auditEntry(.userDisable, detail: "user \(user.id.lowercaseText) deleted")
            )
            print("deleted \(user.email)")
        }
    }

    /// The entity whose folder holds the user's own documents; nil for an administrator, who has none.
    static func folder(of user: UserRecord) -> (EntityType, EntityID)? {
        switch user.role {
        case .patient: user.patientID.flatMap { try? EntityID(validating: $0) }.map { (.patient, $0) }
        case .provider: user.providerID.flatMap { try? EntityID(validating: $0) }.map { (.provider, $0) }
        case .admin: nil
        }
    }

    private func erase(_ type: EntityType, _ id: EntityID, context: CommandLineContext) async throws {
        var logger = Logger(label: "medvault.user")
        logger.logLevel = .warning
        let reason = reason
        try await context.withStore { store in
            let receipt: EntityErasureReceipt
            do {
                receipt = try await EntityErasure(store: store, database: context.database, logger: logger).run(entityType: type, entityID: id) {
                    detail in
                    var entry = context.auditEntry(.entityErase, patientID: type == .patient ? id.rawValue : nil, detail: detail)
                    entry.reason = reason
                    return entry
                }
            } catch let error as PersistenceError where error == .legalHold {
                throw CommandLineContext.fail("a document of the user's folder is under legal hold; nothing was erased or deleted")
            }
            print(
                "erased \(type.rawValue) \(id.rawValue): documents \(receipt.documents), bytes \(receipt.bytes), "
                    + "objects \(receipt.objectsDeleted), versions \(receipt.versionsDeleted), audit sequence \(receipt.auditSequence)"
            )
        }
    }
}
