/// `MEDVAULT_BUCKET_ROUTES`: the categories whose objects live in a bucket of their own (same endpoint and
/// credentials as the documents bucket), e.g. `verification-photo=clinic-verification,profile-photo=clinic-profiles`.
/// Every other category stays in the documents bucket.
///
/// An object's bucket follows from its key: document keys carry the category's folder
/// (`{root}/{entityId}/{folder}/…`, also under `archived/`), so every operation on a key, from the upload to the
/// lifecycle's expiry, finds the same bucket without a lookup. Two categories that share a folder (consent and intake
/// forms share `forms/`) must therefore share a bucket. Keys without a folder (`temp/`, `quarantine/`) stay in the
/// documents bucket.
/// - important: the routes decide where existing objects are looked for: changing a category's bucket after documents
///   of it were stored needs those objects copied to the new bucket first.
package struct BucketRoutes: Sendable, Equatable {
    /// The routed categories and their buckets.
    package let buckets: [FileCategory: String]

    /// No routes: everything in the documents bucket.
    package static let none = BucketRoutes(checked: [:])

    private init(checked buckets: [FileCategory: String]) {
        self.buckets = buckets
    }

    /// Parses `category=bucket` pairs separated by commas (spaces around them ignored); an empty text is no routes.
    /// - Throws: ``BucketRoutesError`` for a malformed pair, an unknown category, an invalid bucket name, a category
    ///   given twice, or categories sharing a folder routed apart.
    package init(parsing text: String) throws(BucketRoutesError) {
        guard !text.allSatisfy({ $0 == " " }) else {
            self.init(checked: [:])
            return
        }
        var buckets: [FileCategory: String] = [:]
        for pair in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false).map(\.trimmingSpaces)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw .malformed }
            guard let category = FileCategory(rawValue: parts[0]) else { throw .unknownCategory(parts[0]) }
            guard Self.isValidBucketName(parts[1]) else { throw .invalidBucket(category) }
            guard buckets[category] == nil else { throw .duplicate(category) }
            buckets[category] = parts[1]
        }
        for category in FileCategory.allCases {
            for other in FileCategory.allCases where other.folder == category.folder && buckets[other] != buckets[category] {
                throw .sharedFolder(category, other)
            }
        }
        self.init(checked: buckets)
    }

    /// The bucket of `category`'s objects, or nil for the documents bucket.
    package func bucket(for category: FileCategory) -> String? {
        self.buckets[category]
    }

    /// The bucket of the object at `key`, or nil for the documents bucket: the routed bucket of the category whose
    /// folder the key names (`{root}/{entityId}/{folder}/…`, or the same under `archived/`).
    package func bucket(forKey key: String) -> String? {
        guard !self.buckets.isEmpty else { return nil }
        var segments = key.split(separator: "/", maxSplits: 4, omittingEmptySubsequences: false)
        if segments.first == Substring(KeySyntax.archivedRoot) { segments.removeFirst() }
        guard segments.count >= 4 else { return nil }
        let folder = segments[2]
        return self.buckets.first { $0.key.folder == folder }?.value
    }

    /// Every routed bucket, sorted, each once.
    package var routedBuckets: [String] {
        Array(Set(self.buckets.values)).sorted()
    }

    /// S3's bucket naming rules ("Bucket naming rules", S3 user guide): 3–63 characters of lowercase letters, digits,
    /// `-` and `.`, starting and ending with a letter or digit, no `..`, not shaped like an IP address, no reserved
    /// prefix or suffix. Dots are refused too: they break TLS for virtual-hosted addressing.
    static func isValidBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        let isAlphanumeric: (UInt8) -> Bool = {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
        }
        guard bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") }),
            let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last)
        else { return false }
        return !["xn--", "sthree-", "amzn-s3-demo-"].contains { name.hasPrefix($0) }
            && !["-s3alias", "--ol-s3", "--x-s3"].contains { name.hasSuffix($0) }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
