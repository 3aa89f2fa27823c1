import Audit
import Foundation
import UTCCalendar

/// Instants stored to the millisecond, written as ISO 8601 in UTC with milliseconds (`2025-06-15T14:13:20.123Z`):
/// the form `uploadedAt` and the audit API's instants take.
///
/// Written out because a list page formats 100 of them and `Date.ISO8601FormatStyle` took about 2.5 µs each
/// (a quarter of a core at 1,000 pages a second). Working from the stored whole milliseconds also keeps the last
/// digit right: the format style truncates the binary fraction of the seconds, and since `ms / 1000` is rarely
/// exact in floating point it printed one millisecond less than stored for about half of all instants.
enum MillisecondTimestamp {
    /// `date` (rounded to the millisecond, as stored) in the form above. The calendar fields come from
    /// ``CivilTime``'s integer arithmetic; instants outside 1970...9999, which nothing medvault stores has, go to
    /// the format style.
    static func string(_ date: Date) -> String {
        let milliseconds = date.millisecondsSince1970
        guard milliseconds >= 0, CivilTime.epochSecondsOf1970Through9999.contains(Int(milliseconds / 1000)) else {
            return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
        let calendar = CivilTime(epochSeconds: Int(milliseconds / 1000))
        return String(unsafeUninitializedCapacity: 24) { text in
            var offset = 0
            /// Writes `value` as `digits` decimal digits, then `separator`.
            func put(_ value: Int, digits: Int, then separator: Unicode.Scalar) {
                var value = value
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                text[offset + digits] = UInt8(ascii: separator)
                offset += digits + 1
            }
            put(calendar.year, digits: 4, then: "-")
            put(calendar.month, digits: 2, then: "-")
            put(calendar.day, digits: 2, then: "T")
            put(calendar.hour, digits: 2, then: ":")
            put(calendar.minute, digits: 2, then: ":")
            put(calendar.second, digits: 2, then: ".")
            put(Int(milliseconds % 1000), digits: 3, then: "Z")
            return offset
        }
    }
}
