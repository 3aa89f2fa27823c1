import Audit
import Foundation

/// Instants stored to the millisecond, written as ISO 8601 in UTC with milliseconds (`2025-06-15T14:13:20.123Z`):
/// the form `uploadedAt` takes in the API.
///
/// Written out because a list page formats 100 of them and `Date.ISO8601FormatStyle` took about 2.5 µs each
/// (a quarter of a core at 1,000 pages a second). Working from the stored whole milliseconds also keeps the last
/// digit right: the format style truncates the binary fraction of the seconds, and since `ms / 1000` is rarely
/// exact in floating point it printed one millisecond less than stored for about half of all instants.
enum MillisecondTimestamp {
    /// `date` (rounded to the millisecond, as stored) in the form above. Years outside 1583...9999, which no
    /// upload has, go to the format style, so they read as before: Foundation's calendar is Julian before the
    /// Gregorian reform of October 1582 (this one is Gregorian throughout), and it writes years past 9999 with
    /// more digits.
    static func string(_ date: Date) -> String {
        let milliseconds = date.millisecondsSince1970
        let days = milliseconds.floorDivided(by: 86_400_000)
        let ofDay = milliseconds - days * 86_400_000
        let (year, month, day) = civilDate(daysSince1970: days)
        guard (1583...9999).contains(year) else {
            return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
        return String(unsafeUninitializedCapacity: 24) { text in
            func put(_ value: Int64, digits: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, digits: 4, at: 0)
            text[4] = UInt8(ascii: "-")
            put(month, digits: 2, at: 5)
            text[7] = UInt8(ascii: "-")
            put(day, digits: 2, at: 8)
            text[10] = UInt8(ascii: "T")
            put(ofDay / 3_600_000, digits: 2, at: 11)
            text[13] = UInt8(ascii: ":")
            put(ofDay / 60_000 % 60, digits: 2, at: 14)
            text[16] = UInt8(ascii: ":")
            put(ofDay / 1000 % 60, digits: 2, at: 17)
            text[19] = UInt8(ascii: ".")
            put(ofDay % 1000, digits: 3, at: 20)
            text[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// The proleptic Gregorian date `days` days after 1970-01-01 (negative: before), by Howard Hinnant's
    /// `civil_from_days` (eras of 400 years, years starting on 1 March so the leap day comes last).
    static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468  // days since 0000-03-01
        let era = shifted.floorDivided(by: 146_097)
        let dayOfEra = shifted - era * 146_097  // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365  // 0...399
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // 0...365, from 1 March
        let monthFromMarch = (5 * dayOfYear + 2) / 153  // 0...11
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    /// The quotient rounded towards negative infinity (Swift's `/` rounds towards zero).
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
