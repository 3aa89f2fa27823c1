/// One bucket sub-resource that `medvault bucket setup` writes and `medvault bucket check` reads back, named as both
/// commands print it.
package enum BucketSetting: String, CaseIterable, Sendable {
    case cors
    case publicAccessBlock = "public-access-block"
    case encryption = "default-encryption"
    case versioning
    case lifecycle

    /// The query sub-resource of its Get/Put calls (`?cors`, `?publicAccessBlock`, …).
    var subresource: String {
        switch self {
        case .cors: "cors"
        case .publicAccessBlock: "publicAccessBlock"
        case .encryption: "encryption"
        case .versioning: "versioning"
        case .lifecycle: "lifecycle"
        }
    }

    /// The S3 API name after `Get`/`Put` (`GetBucketCors`, `PutPublicAccessBlock`, …), for logs and errors.
    var apiName: String {
        switch self {
        case .cors: "BucketCors"
        case .publicAccessBlock: "PublicAccessBlock"
        case .encryption: "BucketEncryption"
        case .versioning: "BucketVersioning"
        case .lifecycle: "BucketLifecycleConfiguration"
        }
    }

    /// The Put call's XML body for `configuration`.
    func body(_ configuration: BucketConfiguration) -> String {
        switch self {
        case .cors: BucketConfiguration.corsBody(configuration.cors)
        case .publicAccessBlock: BucketConfiguration.publicAccessBlockBody(configuration.publicAccessBlock)
        case .encryption: BucketConfiguration.encryptionBody(configuration.encryption)
        case .versioning: BucketConfiguration.versioningBody
        case .lifecycle: BucketConfiguration.lifecycleBody(configuration.lifecycle)
        }
    }

    /// What this part of `configuration` says, in one line.
    package func summary(_ configuration: BucketConfiguration) -> String {
        switch self {
        case .cors: configuration.cors.map(\.summary).joined(separator: "; ")
        case .publicAccessBlock: configuration.publicAccessBlock.summary
        case .encryption: configuration.encryption.summary
        case .versioning: configuration.versioningEnabled ? "Enabled" : "not enabled"
        case .lifecycle: configuration.lifecycle.map(\.summary).joined(separator: "; ")
        }
    }
}
