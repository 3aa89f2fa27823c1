import Access
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
        id = user.id.uuidString.lowercased()
        email = user.email
        role = user.role.rawValue
        displayName = user.displayName
        patientId = user.patientID
        providerId = user.providerID
        disabled = user.disabled
        createdAt = user.createdAt.formatted(AuditTimestamp.style)
    }
}
