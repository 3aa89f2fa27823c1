import Foundation

/// The lifecycle rules of the configuration: how long `temp/` uploads live, when active documents move to the archive
/// storage class, and how long archived documents are kept. ``LifecyclePlanner`` applies them to index rows.
package struct LifecycleRules: Sendable, Equatable {
    /// `MEDVAULT_TEMP_RETENTION_DAYS`: a `temp/` upload is expired this many days after it was uploaded.
    package var tempRetentionDays: Int
    /// `MEDVAULT_ARCHIVE_AFTER_DAYS`: an active document moves to ``archiveStorageClass`` this many days after upload.
    package var archiveAfterDays: Int
    /// `MEDVAULT_ARCHIVE_STORAGE_CLASS`: the S3 storage class of that move (recorded only, on the local store).
    package var archiveStorageClass: String
    /// `MEDVAULT_ARCHIVED_RETENTION_DAYS`: an archived document is erased this many days after it was archived; nil
    /// keeps archived documents forever.
    package var archivedRetentionDays: Int?
    /// `MEDVAULT_LIFECYCLE_INTERVAL`: seconds between the server's lifecycle rounds.
    package var interval: TimeInterval

    package static let defaultTempRetentionDays = 7
    package static let defaultArchiveAfterDays = 90
    /// Glacier Instant Retrieval: cheap to keep, still read in milliseconds, so downloads keep working.
    package static let defaultArchiveStorageClass = "GLACIER_IR"
    package static let defaultInterval: TimeInterval = 3600

    package init(
        tempRetentionDays: Int = defaultTempRetentionDays,
        archiveAfterDays: Int = defaultArchiveAfterDays,
        archiveStorageClass: String = defaultArchiveStorageClass,
        archivedRetentionDays: Int? = nil,
        interval: TimeInterval = defaultInterval
    ) {
        self.tempRetentionDays = tempRetentionDays
        self.archiveAfterDays = archiveAfterDays
        self.archiveStorageClass = archiveStorageClass
        self.archivedRetentionDays = archivedRetentionDays
        self.interval = interval
    }
}
