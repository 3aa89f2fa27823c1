import Access
import Documents
import Foundation
import Persistence

/// A user account as requested by `medvault user add` or `POST /api/v2/users`, validated once for both.
///
/// A patient needs the patient id they are; a provider's own folder id defaults to their user id.
package struct NewUser: Sendable {
    /// The shortest password accepted when one is given (generated ones are longer).
    package static let minimumPasswordLength = 12

    package let id: UUID
    package let email: String
    package let role: Role
    package let displayName: String?
    package let patientID: EntityID?
    package let providerID: EntityID?
    /// The password to set; nil means one is generated (see ``password``).
    private let givenPassword: String?
    /// The password the account gets: the given one, or a generated one to be shown once.
    package let password: String

    /// Validates the fields; throws ``UserInputError`` naming the first problem.
    package init(
        id: UUID = UUID(),
        email: String,
        role: Role,
        displayName: String? = nil,
        patientID: String? = nil,
        providerID: String? = nil,
        password: String? = nil
    ) throws(UserInputError) {
        guard EmailAddressRule.accepts(email) else { throw .invalid("email must be an e-mail address") }
        let email = UserRecord.normalizedEmail(email)
        // Lengths count Unicode scalars, as JSON Schema's minLength and maxLength do.
        if let displayName, displayName.unicodeScalars.count > 200 { throw .invalid("name is limited to 200 characters") }
        if role == .patient, patientID == nil { throw .invalid("a patient needs a patient id (--patient-id / patientId)") }
        if role != .patient, patientID != nil { throw .invalid("only patients have a patient id") }
        if role != .provider, providerID != nil { throw .invalid("only providers have a provider id") }
        if let password, password.unicodeScalars.count < Self.minimumPasswordLength {
            throw .invalid("a password needs at least \(Self.minimumPasswordLength) characters")
        }
        self.id = id
        self.email = email
        self.role = role
        self.displayName = displayName?.isEmpty == true ? nil : displayName
        self.patientID = try patientID.map(Self.entityID)
        self.providerID = role == .provider ? try Self.entityID(providerID ?? id.lowercaseText) : nil
        self.givenPassword = password
        self.password = password ?? PasswordGenerator.generate()
    }

    /// Whether ``password`` was generated, and so must be shown to the person creating the account, once.
    package var passwordWasGenerated: Bool { givenPassword == nil }

    /// The row to store, with `passwordHash` computed by the caller.
    package func record(passwordHash: String, createdAt: Date) -> UserRecord {
        UserRecord(
            id: id,
            email: email,
            role: role,
            displayName: displayName,
            patientID: patientID?.rawValue,
            providerID: providerID?.rawValue,
            passwordHash: passwordHash,
            createdAt: createdAt
        )
    }

    private static func entityID(_ text: String) throws(UserInputError) -> EntityID {
        do {
            return try EntityID(validating: text)
        } catch {
            throw .invalid("ids are 1 to 64 characters from A-Z, a-z, 0-9, _ and -")
        }
    }
}

/// Why account input was refused; the message is safe to show.
package enum UserInputError: Error, Sendable, CustomStringConvertible {
    case invalid(String)

    package var description: String {
        switch self {
        case .invalid(let message): message
        }
    }
}

/// Random passwords for generated accounts: 24 characters of base64url (144 bits).
package enum PasswordGenerator {
    package static func generate() -> String {
        String(SessionCookie.newToken().prefix(24))
    }
}
