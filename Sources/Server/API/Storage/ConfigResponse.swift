import Audit
import Documents
import Foundation
import ObjectStorage

/// The body of `GET config`. Every field is chosen here, one by one: nothing is copied wholesale from the
/// configuration, so that a secret added to it later cannot leak through this endpoint.
struct ConfigResponse: Encodable, Sendable {
    struct Limits: Encodable, Sendable {
        let imageMaxBytes: Int
        let documentMaxBytes: Int
        let maxFileBytes: Int
    }
    struct TypeEntry: Encodable, Sendable {
        let type: String
        let mimeType: String
        let kind: String
        let extensions: [String]
        let servedInline: Bool
    }
    struct CategoryEntry: Encodable, Sendable {
        let name: String
        let folder: String
    }
    struct Presign: Encodable, Sendable {
        let defaultExpiresSeconds: Int
        let minExpiresSeconds: Int
        let maxExpiresSeconds: Int
        let breakGlassMaxExpiresSeconds: Int
    }

    let backend: String
    let location: String?
    let bucket: String?
    let endpointHost: String?
    let dataDirectory: String?
    let region: String
    let encryption: String?
    /// What a probe object's headers said when read back; nil when storage is off.
    let encryptionCheck: EncryptionProbe.Result?
    let storageEnabled: Bool
    let environment: String
    let limits: Limits
    let allowedTypes: [TypeEntry]
    let categories: [CategoryEntry]
    let entityTypes: [String]
    let presign: Presign

    init(configuration: AppConfiguration, storage: StorageAccess, encryptionCheck: EncryptionProbe.Result?) {
        let summary: StoreSummary? = if case .ready(let store) = storage { store.summary } else { nil }
        backend = summary?.backend ?? (configuration.s3 == nil ? "unconfigured" : "s3")
        location = summary?.location
        bucket = configuration.s3?.bucket
        endpointHost = configuration.s3?.endpoint?.host ?? configuration.s3.map { _ in "s3.\(configuration.region).amazonaws.com" }
        dataDirectory = configuration.s3 == nil ? configuration.dataDirectory.path : nil
        region = summary?.region ?? configuration.region
        encryption = summary?.encryption
        self.encryptionCheck = encryptionCheck
        storageEnabled = configuration.storageEnabled
        environment = configuration.environment.rawValue
        let limits = SizeLimits.standard
        self.limits = Limits(
            imageMaxBytes: limits.maxBytes(for: .image),
            documentMaxBytes: limits.maxBytes(for: .document),
            maxFileBytes: limits.overallMaxBytes
        )
        allowedTypes = AllowedType.allCases.map {
            TypeEntry(type: $0.rawValue, mimeType: $0.mimeType, kind: "\($0.kind)", extensions: $0.extensions, servedInline: $0.servedInline)
        }
        categories = FileCategory.allCases.map { CategoryEntry(name: $0.rawValue, folder: $0.folder) }
        entityTypes = EntityType.allCases.map(\.rawValue)
        presign = Presign(
            defaultExpiresSeconds: PresignPolicy.defaultExpiry,
            minExpiresSeconds: PresignPolicy.minimumExpiry,
            maxExpiresSeconds: PresignPolicy.maximumExpiry,
            breakGlassMaxExpiresSeconds: PresignPolicy.breakGlassMaximumExpiry
        )
    }
}

/// The bounds of pre-signed URL lifetimes: one hour by default, one minute to seven days (SigV4's own maximum
/// for query signing).
enum PresignPolicy {
    static let defaultExpiry = 3600
    static let minimumExpiry = 60
    static let maximumExpiry = 604_800
    /// The longest life of a URL issued under break-glass access (15 minutes, also its default): emergency access
    /// is for the emergency, and a URL works for anyone who holds it, unaudited, until it expires.
    static let breakGlassMaximumExpiry = 900
}
