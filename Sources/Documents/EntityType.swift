/// The kinds of record a document can belong to; each owns one top-level folder of the bucket.
///
/// The raw value is the `entityType` form field; ``rootFolder`` is the first segment of the document key.
package enum EntityType: String, CaseIterable, Sendable, Codable {
    case patient
    case provider
    case appointment
    case prescription

    /// The first segment of every key that belongs to this entity type (DESIGN.md, "Key layout").
    package var rootFolder: String {
        switch self {
        case .patient: "patients"
        case .provider: "providers"
        case .appointment: "appointments"
        case .prescription: "prescriptions"
        }
    }

    /// Finds the entity type whose ``rootFolder`` is `rootFolder`, so key parsing can map a segment back.
    package init?(rootFolder: String) {
        guard let match = Self.allCases.first(where: { $0.rootFolder == rootFolder }) else { return nil }
        self = match
    }
}
