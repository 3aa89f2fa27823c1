/// The UTC calendar fields of an instant (proleptic Gregorian), and back, by integer arithmetic: Howard Hinnant's
/// `civil_from_days` and `days_from_civil` ("chrono-Compatible Low-Level Date Algorithms").
///
/// Two writers of timestamps need it on hot paths, where `DateFormatter` and `Calendar` cost microseconds and
/// allocations: SigV4's `X-Amz-Date` (every signature) and the API's millisecond ISO 8601 instants (every listed
/// document). It is a module of its own because neither home fits: SigV4 is a signing library that depends on
/// swift-crypto alone, so it cannot take medvault's domain values (`Documents`) along, and the web layer should
/// not import a signer to read a calendar. No dependencies, no Foundation.
package struct CivilTime: Sendable, Hashable {
    /// The year, numbered astronomically (the year before 1 is 0).
    package let year: Int
    /// 1...12.
    package let month: Int
    /// 1...31.
    package let day: Int
    /// 0...23.
    package let hour: Int
    /// 0...59.
    package let minute: Int
    /// 0...59 (leap seconds do not exist in seconds since 1970).
    package let second: Int

    /// Seconds since 1970 of 1970-01-01T00:00:00Z ... 9999-12-31T23:59:59Z: the instants whose year both
    /// timestamp forms can write (four digits) and that they accept (none before 1970). Computed, not a lazily
    /// initialised global, as it is read on every signature.
    package static var epochSecondsOf1970Through9999: ClosedRange<Int> { 0...253_402_300_799 }

    /// The fields of the instant `epochSeconds` seconds after 1970-01-01T00:00:00Z (before it when negative).
    package init(epochSeconds: Int) {
        let (quotient, remainder) = epochSeconds.quotientAndRemainder(dividingBy: 86_400)
        let days = remainder < 0 ? quotient - 1 : quotient
        let secondsOfDay = remainder < 0 ? remainder + 86_400 : remainder
        self.hour = secondsOfDay / 3_600
        self.minute = secondsOfDay % 3_600 / 60
        self.second = secondsOfDay % 60
        // civil_from_days: eras of 400 years starting on March 1st, so the leap day ends a year.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        self.day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        self.month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        self.year = yearOfEra + era * 400 + (self.month <= 2 ? 1 : 0)
    }

    /// The given fields if they name a real time: month 1...12, a day the month has, 00:00:00...23:59:59; any
    /// year. Nil otherwise, so a parser can refuse `20230229` without a calendar of its own.
    package init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day), (0..<24).contains(hour),
            (0..<60).contains(minute), (0..<60).contains(second)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before it), by `days_from_civil`.
    package var epochSeconds: Int {
        let shiftedYear = self.month <= 2 ? self.year - 1 : self.year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (self.month > 2 ? self.month - 3 : self.month + 9) + 2) / 5 + self.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + self.hour * 3_600 + self.minute * 60 + self.second
    }

    /// The length of `month` in `year`, February following the Gregorian leap rule.
    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
