import Foundation

/// How pages print sizes and instants: binary units ("1.5 MiB", as the upload limits are stated) and UTC
/// minutes ("2025-03-01 14:05 UTC"), the same on every machine whatever its locale.
enum PageFormat {
    private static let units = ["KiB", "MiB", "GiB", "TiB", "PiB"]

    /// A size for people: "0 bytes", "1 byte", "512 bytes", "1.5 KiB", "12 MiB" (one decimal below 10).
    static func byteCount(_ bytes: Int64) -> String {
        guard bytes >= 1024 else { return bytes == 1 ? "1 byte" : "\(max(bytes, 0)) bytes" }
        var value = Double(bytes) / 1024
        var unit = 0
        while unit < units.count - 1, value.rounded() >= 1024 {
            value /= 1024
            unit += 1
        }
        let digits = value < 9.95 ? String(format: "%.1f", value) : String(format: "%.0f", value)
        return "\(digits) \(units[unit])"
    }

    /// An instant to the minute in UTC: "2025-03-01 14:05 UTC".
    static func minute(_ date: Date) -> String {
        let iso = date.formatted(Date.ISO8601FormatStyle())  // 2025-03-01T14:05:09Z
        return iso.prefix(16).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    /// An instant for `<time datetime>`: ISO 8601 with seconds, in UTC.
    static func machineInstant(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
