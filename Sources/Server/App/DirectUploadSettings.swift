/// How direct uploads (bytes sent straight to storage through pre-signed URLs) are cut into parts and how long their
/// URLs live.
package struct DirectUploadSettings: Sendable, Equatable {
    /// `MEDVAULT_UPLOAD_PART_MB` in bytes: a file up to this size goes up in one PutObject, a larger one in parts of
    /// this size (the last holds the rest).
    package var partSize: Int
    /// `MEDVAULT_UPLOAD_URL_TTL`: seconds each pre-signed URL stays valid, and how long a session waits to be completed.
    package var urlLifetime: Int

    /// 8 MiB parts: S3's own tooling default.
    package static let defaultPartMiB = 8
    /// S3 refuses parts under 5 MiB (all but the last), so a smaller setting could never complete.
    package static let minimumPartMiB = 5
    /// 15 minutes, what users of AWS-backed apps expect of an upload URL.
    package static let defaultURLLifetime = 900
    /// An hour at most: a leaked URL must not stay useful for long.
    package static let maximumURLLifetime = 3600

    package init(partSize: Int = defaultPartMiB * 1024 * 1024, urlLifetime: Int = defaultURLLifetime) {
        self.partSize = partSize
        self.urlLifetime = urlLifetime
    }
}
