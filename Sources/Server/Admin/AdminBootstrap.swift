import Access
import Audit
import Documents
import Foundation
import Persistence

/// Makes sure a fresh install can be administered: when no enabled administrator exists, one is
/// created, from `MEDVAULT_ADMIN_EMAIL` / `MEDVAULT_ADMIN_PASSWORD` or as `admin@medvault.local` with a
/// generated one-time password that is printed to the console once (never to the log) and not stored in
/// clear anywhere. The creation is audited as done by `system`.
enum AdminBootstrap {
    /// Creates the administrator if needed; `announce` receives the line with a generated password.
    static func ensureAdministrator(
        database: any UserDirectory,
        settings: AuthSettings,
        hasher: PasswordHasher,
        now: Date,
        announce: (String) -> Void
    ) async throws {
        guard try await !database.hasEnabledAdmin() else { return }
        let email = settings.adminEmail ?? AuthSettings.defaultAdminEmail
        if try await database.user(email: email) != nil {
            // Another node starting at the same time on the same database may have just created it.
            guard try await !database.hasEnabledAdmin() else { return }
            throw ConfigurationError.invalid(
                "no enabled administrator exists and the account MEDVAULT_ADMIN_EMAIL names is taken; create one with `medvault user add --role admin`"
            )
        }
        let admin: NewUser
        do throws(UserInputError) {
            admin = try NewUser(email: email, role: .admin, displayName: "Administrator", password: settings.adminPassword?.value)
        } catch {
            throw ConfigurationError.invalid("MEDVAULT_ADMIN_EMAIL / MEDVAULT_ADMIN_PASSWORD: \(error.description)")
        }
        let entry = AuditEntry(
            occurredAt: now,
            action: .userCreate,
            outcome: .success,
            actorID: "system",
            requestID: "bootstrap",
            detail: "first administrator \(admin.id.lowercaseText)"
        )
        let record = admin.record(passwordHash: await hasher.hash(admin.password), createdAt: now)
        var conflict: PersistenceError?
        do {
            _ = try await database.insertUser(record, audit: entry)
        } catch {
            conflict = error
        }
        if let conflict {
            // Another node starting at the same time on the same PostgreSQL database may have created it first.
            guard conflict == .keyConflict, try await database.hasEnabledAdmin() else { throw conflict }
            return
        }
        if admin.passwordWasGenerated {
            announce("medvault: created administrator \(admin.email) with one-time password: \(admin.password)")
        }
    }
}
