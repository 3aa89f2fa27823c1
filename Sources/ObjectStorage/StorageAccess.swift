/// The document store as its users see it: ready, switched off by the feature flag, or required but missing
/// (production without S3). The web layer asks for the store inside its audited section, so a 503 is recorded like
/// any other refusal; the self-check skips what needs a store when there is none.
package enum StorageAccess: Sendable {
    case ready(any ObjectStore)
    /// `ENABLE_AWS_S3_STORAGE=false`.
    case disabled
    /// `MEDVAULT_ENV=production` without S3 settings.
    case notConfigured
}
