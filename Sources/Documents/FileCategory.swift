/// The kinds of document and media medvault stores, as the upload form and the API name them.
///
/// The raw value is the wire format (`category` form field, list filter, stats keys), so it must never change.
/// Several categories can share one storage folder (``folder``): consent and intake forms both live in `forms/`.
/// The media categories (the last four) also narrow the types, the owners and the size a file may have
/// (``allowedTypes``, ``entityTypes``, ``maxBytes``); the README's "Photos and videos" table repeats them.
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
    case therapyMedia = "therapy-media"
    case profilePhoto = "profile-photo"
    case verificationPhoto = "verification-photo"
    case chatImage = "chat-image"

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
        case .therapyMedia: "therapy-media"
        case .profilePhoto: "profile"
        case .verificationPhoto: "verification"
        case .chatImage: "chat"
        }
    }

    /// The types a file of this category may have: every document type for the document categories, only
    /// photos (and, for therapy media, videos) for the media ones. HEIC and video are media-only.
    package var allowedTypes: [AllowedType] {
        switch self {
        case .therapyMedia: [.jpeg, .png, .webp, .mp4, .mov, .webm]
        case .profilePhoto: [.jpeg, .png]
        case .verificationPhoto: [.jpeg, .png, .heic]
        case .chatImage: [.jpeg, .png, .webp, .heic]
        default: AllowedType.documentTypes
        }
    }

    /// The entity types whose folders hold this category: therapy media belongs to a provider's library or a
    /// patient's plan, a verification photo to a patient, a chat image to an appointment; the rest to any.
    package var entityTypes: [EntityType] {
        switch self {
        case .therapyMedia, .profilePhoto: [.provider, .patient]
        case .verificationPhoto: [.patient]
        case .chatImage: [.appointment]
        default: EntityType.allCases
        }
    }

    /// The category's own size cap in bytes (5 MiB for profile and verification photos, 10 MiB for chat
    /// images), applied on top of the configured per-kind limits; `nil` when only those apply.
    package var maxBytes: Int? {
        switch self {
        case .profilePhoto, .verificationPhoto: 5 * 1024 * 1024
        case .chatImage: 10 * 1024 * 1024
        default: nil
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
