/// The checks of the self-check, in the order they run (`/test/s3` and `medvault selftest`).
enum SelfCheckStep: CaseIterable, Sendable {
    case featureFlag
    case configuration
    case roundTrip
    case presignedURL
    case presignedURLExpiry
    case tamperedURL
    case listingAndMetadata
    case largeFile
    case encryption
    case antivirus
    case cleanup

    /// What a check needs from the ones before it; a check whose need is not met is skipped.
    enum Requirement {
        case nothing
        /// A store to talk to (the feature flag is on and a backend is configured).
        case storage
        /// A store that passed the write/read/delete round trip: without it every later check would fail the same way.
        case roundTrip
    }

    /// The stable identifier: `data-name` on the page.
    var id: String {
        switch self {
        case .featureFlag: "feature-flag"
        case .configuration: "configuration"
        case .roundTrip: "round-trip"
        case .presignedURL: "presigned-url"
        case .presignedURLExpiry: "presigned-url-expiry"
        case .tamperedURL: "tampered-url"
        case .listingAndMetadata: "listing-metadata"
        case .largeFile: "large-file"
        case .encryption: "encryption"
        case .antivirus: "antivirus"
        case .cleanup: "cleanup"
        }
    }

    /// The name people read.
    var name: String {
        switch self {
        case .featureFlag: "feature flag"
        case .configuration: "configuration"
        case .roundTrip: "round trip"
        case .presignedURL: "pre-signed URL"
        case .presignedURLExpiry: "pre-signed URL expiry"
        case .tamperedURL: "tampered URL"
        case .listingAndMetadata: "listing and metadata"
        case .largeFile: "large file"
        case .encryption: "encryption"
        case .antivirus: "antivirus"
        case .cleanup: "cleanup"
        }
    }

    var requirement: Requirement {
        switch self {
        case .featureFlag, .configuration, .antivirus: .nothing
        case .roundTrip, .cleanup: .storage
        case .presignedURL, .presignedURLExpiry, .tamperedURL, .listingAndMetadata, .largeFile, .encryption: .roundTrip
        }
    }
}
