import Configuration
import Foundation

extension AppConfiguration {
    /// `MEDVAULT_TEMP_RETENTION_DAYS`, `MEDVAULT_ARCHIVE_AFTER_DAYS`, `MEDVAULT_ARCHIVE_STORAGE_CLASS`,
    /// `MEDVAULT_ARCHIVED_RETENTION_DAYS` (unset: archived documents are kept forever) and `MEDVAULT_LIFECYCLE_INTERVAL`.
    static func loadLifecycle(from reader: ConfigReader) throws(ConfigurationError) -> LifecycleRules {
        let storageClass = reader.string(forKey: "medvault.archive.storage.class").nonEmpty ?? LifecycleRules.defaultArchiveStorageClass
        guard storageClass.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || $0 == UInt8(ascii: "_") }) else {
            throw .invalid("MEDVAULT_ARCHIVE_STORAGE_CLASS must be an S3 storage class such as GLACIER_IR or INTELLIGENT_TIERING")
        }
        let archivedRetention: Int? =
            reader.string(forKey: "medvault.archived.retention.days").nonEmpty == nil
            ? nil : Int(try seconds(reader, "medvault.archived.retention.days", name: "MEDVAULT_ARCHIVED_RETENTION_DAYS", default: 0))
        return LifecycleRules(
            tempRetentionDays: Int(
                try seconds(
                    reader,
                    "medvault.temp.retention.days",
                    name: "MEDVAULT_TEMP_RETENTION_DAYS",
                    default: Double(LifecycleRules.defaultTempRetentionDays)
                )
            ),
            archiveAfterDays: Int(
                try seconds(
                    reader,
                    "medvault.archive.after.days",
                    name: "MEDVAULT_ARCHIVE_AFTER_DAYS",
                    default: Double(LifecycleRules.defaultArchiveAfterDays)
                )
            ),
            archiveStorageClass: storageClass,
            archivedRetentionDays: archivedRetention,
            interval: try seconds(reader, "medvault.lifecycle.interval", name: "MEDVAULT_LIFECYCLE_INTERVAL", default: LifecycleRules.defaultInterval)
        )
    }
}
