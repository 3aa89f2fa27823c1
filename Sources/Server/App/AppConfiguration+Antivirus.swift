import Configuration
import Scanning

extension AppConfiguration {
    /// `MEDVAULT_CLAMD_URL` and its deadlines; nil when the URL is unset or empty (uploads are then not scanned).
    static func loadAntivirus(from reader: ConfigReader) throws(ConfigurationError) -> AntivirusSettings? {
        guard let text = reader.string(forKey: "medvault.clamd.url"), !text.isEmpty else { return nil }
        guard let address = ClamdAddress(parsing: text) else {
            throw .invalid("MEDVAULT_CLAMD_URL must be unix:///absolute/path/to/clamd.ctl or tcp://host:port")
        }
        return AntivirusSettings(
            address: address,
            timeout: try seconds(reader, "medvault.clamd.timeout", name: "MEDVAULT_CLAMD_TIMEOUT", default: AntivirusSettings.defaultTimeout),
            startTimeout: try seconds(
                reader,
                "medvault.clamd.start.timeout",
                name: "MEDVAULT_CLAMD_START_TIMEOUT",
                default: AntivirusSettings.defaultStartTimeout
            )
        )
    }
}
