import Audit
import Documents
import Foundation
import ObjectStorage
import Scanning

/// The body of `GET config`. Every field is chosen here, one by one: nothing is copied wholesale from the
/// configuration, so that a secret added to it later cannot leak through this endpoint.
struct ConfigResponse: Encodable, Sendable {
    struct Limits: Encodable, Sendable {
        let imageMaxBytes: Int
        let documentMaxBytes: Int
        let maxFileBytes: Int
        let videoMaxBytes: Int
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
        let allowedTypes: [String]
        let entityTypes: [String]
        /// The category's own cap; absent when only the per-kind limits apply.
        let maxBytes: Int?
    }
    /// Features switched on or off by configuration.
    struct Flags: Encodable, Sendable {
        /// `MEDVAULT_TRANSCODE`: stored videos also get a 720p H.264 MP4 for phones.
        let transcode: Bool
    }
    struct Presign: Encodable, Sendable {
        let defaultExpiresSeconds: Int
        let minExpiresSeconds: Int
        let maxExpiresSeconds: Int
        let breakGlassMaxExpiresSeconds: Int
    }

    /// clamd's health as `/config` shows it (``ScannerCheck``).
    struct AntivirusCheck: Encodable, Sendable {
        let address: String
        let reachable: Bool
        let version: String?
        /// The signature database's version and build day; null with unofficial databases only.
        let signatureVersion: Int?
        let signatureDate: String?
        /// The EICAR test file, scanned from memory and never stored, was reported as infected.
        let eicarRefused: Bool
        let eicarSignature: String?
        /// The code of what went wrong (`clamd_unreachable`, …), null when nothing did.
        let problem: String?

        init(address: ClamdAddress, check: ScannerCheck) {
            self.address = "\(address)"
            reachable = check.reachable
            version = check.version?.engine
            signatureVersion = check.version?.signatureVersion
            signatureDate = check.version?.signatureDate
            eicarRefused = check.testFileRefused
            eicarSignature = check.testSignature
            problem = check.problem?.code
        }
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
    /// `clamd` when every upload is scanned, `off` when `MEDVAULT_CLAMD_URL` is unset.
    let antivirus: String
    /// clamd checked live; null when the antivirus is off.
    let antivirusCheck: AntivirusCheck?
    let storageEnabled: Bool
    let environment: String
    let limits: Limits
    let allowedTypes: [TypeEntry]
    let categories: [CategoryEntry]
    let entityTypes: [String]
    let presign: Presign
    let flags: Flags

    init(
        configuration: AppConfiguration,
        storage: StorageAccess,
        encryptionCheck: EncryptionProbe.Result?,
        antivirus: Antivirus,
        antivirusCheck: ScannerCheck?
    ) {
        let summary: StoreSummary? = if case .ready(let store) = storage { store.summary } else { nil }
        backend = summary?.backend ?? (configuration.s3 == nil ? "unconfigured" : "s3")
        location = summary?.location
        bucket = configuration.s3?.bucket
        endpointHost = configuration.s3?.endpoint?.host ?? configuration.s3.map { _ in "s3.\(configuration.region).amazonaws.com" }
        dataDirectory = configuration.s3 == nil ? configuration.dataDirectory.path : nil
        region = summary?.region ?? configuration.region
        encryption = summary?.encryption
        self.encryptionCheck = encryptionCheck
        self.antivirus = antivirus.name
        self.antivirusCheck =
            switch (antivirus, antivirusCheck) {
            case (.clamd(let scanner), let check?): AntivirusCheck(address: scanner.address, check: check)
            default: nil
            }
        storageEnabled = configuration.storageEnabled
        environment = configuration.environment.rawValue
        let limits = configuration.enforcedSizeLimits
        self.limits = Limits(
            imageMaxBytes: limits.maxBytes(for: .image),
            documentMaxBytes: limits.maxBytes(for: .document),
            maxFileBytes: limits.overallMaxBytes,
            videoMaxBytes: limits.maxBytes(for: .video)
        )
        allowedTypes = AllowedType.allCases.map {
            TypeEntry(type: $0.rawValue, mimeType: $0.mimeType, kind: "\($0.kind)", extensions: $0.extensions, servedInline: $0.servedInline)
        }
        categories = FileCategory.allCases.map { category in
            CategoryEntry(
                name: category.rawValue,
                folder: category.folder,
                allowedTypes: category.allowedTypes.map(\.rawValue),
                entityTypes: category.entityTypes.map(\.rawValue),
                maxBytes: category.maxBytes
            )
        }
        entityTypes = EntityType.allCases.map(\.rawValue)
        presign = Presign(
            defaultExpiresSeconds: PresignPolicy.defaultExpiry,
            minExpiresSeconds: PresignPolicy.minimumExpiry,
            maxExpiresSeconds: PresignPolicy.maximumExpiry,
            breakGlassMaxExpiresSeconds: PresignPolicy.breakGlassMaximumExpiry
        )
        flags = Flags(transcode: configuration.video.transcode)
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
