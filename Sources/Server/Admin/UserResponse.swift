import Access
import Documents
import Foundation
import Persistence

/// A user account as the admin API shows it; never the password hash.
struct UserResponse: Encodable, Sendable {
    let id: String
    let email: String
    let role: String
    let displayName: String?
    let patientId: String?
    let providerId: String?
    let disabled: Bool
    let createdAt: String

    init(_ user: UserRecord) {
        id = user.id.lowercaseText
        email = user.email
        role = user.role.rawValue
        displayName = user.displayName
        patientId = user.patientID
        providerId = user.providerID
        disabled = user.disabled
        createdAt = MillisecondTimestamp.string(user.createdAt)
    }

    /// Every field is always present (`null` when there is no value).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(email, forKey: .email)
        try container.encode(role, forKey: .role)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(patientId, forKey: .patientId)
        try container.encode(providerId, forKey: .providerId)
        try container.encode(disabled, forKey: .disabled)
        try container.encode(createdAt, forKey: .createdAt)
    }

    private enum CodingKeys: String, CodingKey {
        case id, email, role, displayName, patientId, providerId, disabled, createdAt
    }
}
