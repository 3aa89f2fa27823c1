import Foundation

extension S3Documents {
    /// One page of ListObjectVersions (`ListVersionsResult`): versions and delete markers, and where the next page
    /// starts (`NextKeyMarker`, `NextVersionIdMarker`) when `IsTruncated` is true.
    struct VersionPage: Sendable, Equatable {
        var versions: [S3ObjectVersion]
        var next: (keyMarker: String, versionIDMarker: String?)?

        static func == (lhs: VersionPage, rhs: VersionPage) -> Bool {
            lhs.versions == rhs.versions && lhs.next?.keyMarker == rhs.next?.keyMarker && lhs.next?.versionIDMarker == rhs.next?.versionIDMarker
        }
    }

    /// Parses a `ListVersionsResult`; keys are percent-decoded when the server says `EncodingType` is `url`.
    static func versionPage(_ bytes: [UInt8]) throws(S3XMLError) -> VersionPage {
        let root = try S3XMLReader.parse(bytes)
        guard root.name == "ListVersionsResult" else { throw S3XMLError(reason: "expected ListVersionsResult", offset: 0) }
        let urlEncoded = root.text(of: "EncodingType")?.lowercased() == "url"
        var versions: [S3ObjectVersion] = []
        for (name, isDeleteMarker) in [("Version", false), ("DeleteMarker", true)] {
            for entry in root.children(name) {
                guard var key = entry.text(of: "Key"), let versionID = entry.text(of: "VersionId"), !versionID.isEmpty else {
                    throw S3XMLError(reason: "a \(name) entry lacks Key or VersionId", offset: 0)
                }
                if urlEncoded {
                    guard let decoded = formDecoded(key) else { throw S3XMLError(reason: "a url-encoded Key is malformed", offset: 0) }
                    key = decoded
                }
                let isLatest = entry.text(of: "IsLatest")?.lowercased() == "true"
                versions.append(S3ObjectVersion(key: key, versionID: versionID, isDeleteMarker: isDeleteMarker, isLatest: isLatest))
            }
        }
        guard root.text(of: "IsTruncated")?.lowercased() == "true" else { return VersionPage(versions: versions, next: nil) }
        guard let keyMarker = root.text(of: "NextKeyMarker"), !keyMarker.isEmpty else {
            throw S3XMLError(reason: "a truncated version listing has no NextKeyMarker", offset: 0)
        }
        let versionMarker = root.text(of: "NextVersionIdMarker").flatMap { $0.isEmpty ? nil : $0 }
        return VersionPage(versions: versions, next: (urlEncoded ? formDecoded(keyMarker) ?? keyMarker : keyMarker, versionMarker))
    }

    /// Whether a `VersioningConfiguration` says the bucket keeps versions: `Enabled`, or `Suspended` (whose earlier
    /// versions are still stored). A bucket that never had versioning answers an empty document. moto names the root
    /// `GetBucketVersioningResponse`.
    static func keepsVersions(_ bytes: [UInt8]) throws(S3XMLError) -> Bool {
        let root = try S3XMLReader.parse(bytes)
        guard root.name == "VersioningConfiguration" || root.name == "GetBucketVersioningResponse" else {
            throw S3XMLError(reason: "expected VersioningConfiguration", offset: 0)
        }
        let status = root.text(of: "Status")?.trimmingCharacters(in: .whitespaces)
        return status == "Enabled" || status == "Suspended"
    }
}
