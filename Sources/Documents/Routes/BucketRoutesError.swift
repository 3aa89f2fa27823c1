/// Why `MEDVAULT_BUCKET_ROUTES` cannot be used; the message names the variable and what is wrong, never credentials.
package enum BucketRoutesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A pair is not `category=bucket`.
    case malformed
    /// No category has this name.
    case unknownCategory(String)
    /// The bucket named for this category breaks S3's naming rules.
    case invalidBucket(FileCategory)
    /// The category appears twice.
    case duplicate(FileCategory)
    /// Two categories that share a storage folder are routed to different buckets.
    case sharedFolder(FileCategory, FileCategory)

    package var description: String {
        let name = "MEDVAULT_BUCKET_ROUTES"
        switch self {
        case .malformed:
            return "\(name) must be comma-separated category=bucket pairs"
        case .unknownCategory(let text):
            let shown = text.utf8.count <= 40 && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F } ? "'\(text)'" : "a value"
            return "\(name) names \(shown), which is not a category (one of \(FileCategory.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalidBucket(let category):
            return "\(name) gives \(category.rawValue) a bucket name S3 does not accept (3-63 lowercase letters, digits and hyphens)"
        case .duplicate(let category):
            return "\(name) routes \(category.rawValue) more than once"
        case .sharedFolder(let category, let other):
            return "\(name) must route \(category.rawValue) and \(other.rawValue) to the same bucket: they share the folder \(category.folder)/"
        }
    }
}
