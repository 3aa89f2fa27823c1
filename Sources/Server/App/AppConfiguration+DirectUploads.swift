import Configuration

extension AppConfiguration {
    /// `MEDVAULT_UPLOAD_PART_MB` (whole MiB, at least 5) and `MEDVAULT_UPLOAD_URL_TTL` (seconds, at most 3600); a value
    /// out of range stops start-up rather than producing uploads S3 would refuse.
    static func loadDirectUploads(from reader: ConfigReader) throws(ConfigurationError) -> DirectUploadSettings {
        let partMiB = Int(
            try seconds(reader, "medvault.upload.part.mb", name: "MEDVAULT_UPLOAD_PART_MB", default: Double(DirectUploadSettings.defaultPartMiB))
        )
        guard partMiB >= DirectUploadSettings.minimumPartMiB, partMiB <= 5 * 1024 else {
            throw .invalid("MEDVAULT_UPLOAD_PART_MB must be a whole number of MiB from \(DirectUploadSettings.minimumPartMiB) to 5120")
        }
        let lifetime = Int(
            try seconds(reader, "medvault.upload.url.ttl", name: "MEDVAULT_UPLOAD_URL_TTL", default: Double(DirectUploadSettings.defaultURLLifetime))
        )
        guard lifetime <= DirectUploadSettings.maximumURLLifetime else {
            throw .invalid("MEDVAULT_UPLOAD_URL_TTL must be at most \(DirectUploadSettings.maximumURLLifetime) seconds")
        }
        return DirectUploadSettings(partSize: partMiB * 1024 * 1024, urlLifetime: lifetime)
    }
}
