/// The nine kinds of document medvault stores, as the upload form and the API name them.
///
/// The raw value is the wire format (`category` form field, list filter, stats keys), so it must never change.
/// Several categories can share one storage folder (``folder``): consent and intake forms both live in `forms/`.
package enum FileCategory: String, CaseIterable, Sendable, Codable {
    case medicalRecords = "medical-records"
    case labResults = "lab-results"
    case imaging
    case consentForms = "consent-forms"
    case intakeForms = "intake-forms"
    case insurance
    case invoices
    case prescriptions
    case other

    /// The folder segment of a document key for this category (DESIGN.md, "Key layout").
    ///
    /// Keys carry the folder, not the category, so the category of a stored object comes from its metadata.
    package var folder: String {
        switch self {
        case .medicalRecords: "medical-records"
        case .labResults: "lab-results"
        case .imaging: "imaging"
        case .consentForms, .intakeForms: "forms"
        case .insurance: "insurance"
        case .invoices: "billing"
        case .prescriptions: "prescriptions"
        case .other: "other"
        }
    }

    /// Every distinct folder name, in declaration order; a key's folder segment must be one of these.
    package static let allFolders: [String] = {
        var seen: [String] = []
        for category in allCases where !seen.contains(category.folder) {
            seen.append(category.folder)
        }
        return seen
    }()
}
