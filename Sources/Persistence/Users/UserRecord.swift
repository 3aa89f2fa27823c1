import Access
import Audit
import Documents
import Foundation

/// One row of `users`: someone who signs in, their role, whose documents are "their own", and the state of
/// their password sign-in (failures, lockout, disabled).
///
/// The schema (migrations/0002_access.sql) enforces a unique, lowercased email, one of the three roles, a
/// patient id exactly for patients and a provider id exactly for providers.
/// - important: The password hash never appears in `description`, `debugDescription` or a mirror (`dump`), so
///   logging or interpolating a user cannot leak it; only the id and role are shown.
package struct UserRecord: Codable, Sendable, Equatable {
    /// The user's id; what audit rows and tokens (`sub`) name.
    package var id: UUID
    /// The sign-in name, trimmed and lowercased (see ``normalizedEmail(_:)``); unique.
    package var email: String
    /// What the access policy lets this user do.
    package var role: Role
    /// A name to show in the admin pages, if given.
    package var displayName: String?
    /// For a patient, the patient id they are (the `patients/{id}/` of their documents); nil for other roles.
    package var patientID: String?
    /// For a provider, their provider id (the `providers/{id}/` of their own documents); nil for other roles.
    package var providerID: String?
    /// The password hash in modular crypt form (bcrypt or better); never the password.
    package var passwordHash: String
    /// A disabled user cannot sign in and has no sessions; users are disabled rather than deleted.
    package var disabled: Bool
    /// Consecutive failed sign-ins since the last success or lockout.
    package var failedAttempts: Int
    /// Until when sign-in is refused after too many failures, if locked (millisecond precision).
    package var lockedUntil: Date?
    /// When the account was created (millisecond precision).
    package var createdAt: Date

    /// Creates a user; `email` is normalised and instants rounded to the millisecond, as they are stored.
    package init(
        id: UUID,
        email: String,
        role: Role,
        displayName: String? = nil,
        patientID: String? = nil,
        providerID: String? = nil,
        passwordHash: String,
        disabled: Bool = false,
        failedAttempts: Int = 0,
        lockedUntil: Date? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.email = Self.normalizedEmail(email)
        self.role = role
        self.displayName = displayName
        self.patientID = patientID
        self.providerID = providerID
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil?.roundedToMilliseconds
        self.createdAt = createdAt.roundedToMilliseconds
    }

    /// The form emails are stored and looked up in: surrounding whitespace removed, lowercased (Unicode-aware,
    /// which SQLite's `lower()` is not), so sign-in is case-insensitive and one address is one account.
    package static func normalizedEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    enum CodingKeys: String, CodingKey {
        case id
        case email
        case role
        case displayName = "display_name"
        case patientID = "patient_id"
        case providerID = "provider_id"
        case passwordHash = "password_hash"
        case disabled
        case failedAttempts = "failed_attempts"
        case lockedUntil = "locked_until"
        case createdAt = "created_at"
    }
}

extension UserRecord: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `UserRecord(id: …, role: …)`: enough to tell users apart in logs, without the email or the hash.
    package var description: String { "UserRecord(id: \(id.lowercaseText), role: \(role.rawValue))" }

    /// The same as ``description``, so `String(reflecting:)` and debuggers cannot show the hash either.
    package var debugDescription: String { description }

    /// Only the id and role, so `dump` and test failure messages cannot show the hash either.
    package var customMirror: Mirror { Mirror(self, children: ["id": id.lowercaseText, "role": role.rawValue], displayStyle: .struct) }
}
