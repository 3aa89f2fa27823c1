import Configuration

extension AppConfiguration {
    /// `MEDVAULT_TRANSCODE` (`on` or `off`; also true/false, 1/0, yes/no; default off) and `MEDVAULT_MEDIA_JOBS` (a
    /// positive whole number, at most 16); anything else stops start-up.
    static func loadVideo(from reader: ConfigReader) throws(ConfigurationError) -> VideoSettings {
        let transcode: Bool
        switch reader.string(forKey: "medvault.transcode")?.lowercased() {
        case nil, "", "off", "false", "0", "no": transcode = false
        case "on", "true", "1", "yes": transcode = true
        default: throw .invalid("MEDVAULT_TRANSCODE must be on or off")
        }
        let concurrency = Int(
            try seconds(reader, "medvault.media.jobs", name: "MEDVAULT_MEDIA_JOBS", default: Double(VideoSettings.defaultConcurrency))
        )
        guard concurrency <= 16 else { throw .invalid("MEDVAULT_MEDIA_JOBS must be at most 16") }
        return VideoSettings(transcode: transcode, concurrency: concurrency)
    }
}
