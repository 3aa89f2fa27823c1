/// One entry of a ListObjectVersions page: a stored version of a key, or a delete marker.
struct S3ObjectVersion: Sendable, Equatable {
    var key: String
    /// `null` for what was written before versioning was turned on; S3 takes that back as the `versionId`.
    var versionID: String
    /// Whether this is a delete marker rather than bytes.
    var isDeleteMarker: Bool
    /// Whether this is the key's current version.
    var isLatest: Bool
}
