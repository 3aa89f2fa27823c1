import Foundation
import Testing
import UTCCalendar

/// The integer calendar against Foundation's, and its edges: leap days, century years, the ends of its range.
@Suite("CivilTime")
struct CivilTimeTests {
    /// Foundation's Gregorian calendar in UTC, the reference.
    private static func foundationFields(_ seconds: Int) throws -> [Int] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second],
            from: Date(timeIntervalSince1970: TimeInterval(seconds))
        )
        return [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second].map { $0 ?? -1 }
    }

    private static func fields(_ time: CivilTime) -> [Int] {
        [time.year, time.month, time.day, time.hour, time.minute, time.second]
    }

    @Test("agrees with Foundation from 1601 to 9999, before 1970 included, and converts back")
    func matchesFoundation() throws {
        // Foundation switches to the Julian calendar before 1582; the proleptic Gregorian one is compared after it.
        for seconds in stride(from: -11_644_473_600, through: CivilTime.epochSecondsOf1970Through9999.upperBound, by: 86_313_599) {
            let time = CivilTime(epochSeconds: seconds)
            #expect(Self.fields(time) == (try Self.foundationFields(seconds)), "\(seconds)")
            #expect(time.epochSeconds == seconds)
        }
    }

    @Test(
        "edges: the first and last instants, leap days, century years, the second before midnight",
        arguments: [
            (0, [1970, 1, 1, 0, 0, 0]), (-1, [1969, 12, 31, 23, 59, 59]), (951_782_400, [2000, 2, 29, 0, 0, 0]),
            (1_709_251_199, [2024, 2, 29, 23, 59, 59]), (4_107_542_400, [2100, 3, 1, 0, 0, 0]),
            (13_574_563_200, [2400, 2, 29, 0, 0, 0]), (253_402_300_799, [9999, 12, 31, 23, 59, 59]),
            (-62_167_219_200, [0, 1, 1, 0, 0, 0]),
        ]
    )
    func edges(seconds: Int, expected: [Int]) throws {
        let time = CivilTime(epochSeconds: seconds)
        #expect(Self.fields(time) == expected)
        let given = try #require(
            CivilTime(year: expected[0], month: expected[1], day: expected[2], hour: expected[3], minute: expected[4], second: expected[5])
        )
        #expect(given == time)
        #expect(given.epochSeconds == seconds)
    }

    @Test(
        "refuses fields that name no real time",
        arguments: [
            [2023, 2, 29, 0, 0, 0], [2100, 2, 29, 0, 0, 0], [2024, 2, 30, 0, 0, 0], [2024, 4, 31, 0, 0, 0], [2024, 0, 1, 0, 0, 0],
            [2024, 13, 1, 0, 0, 0], [2024, 1, 0, 0, 0, 0], [2024, 1, 1, 24, 0, 0], [2024, 1, 1, 0, 60, 0], [2024, 1, 1, 0, 0, 60],
            [2024, 1, 1, -1, 0, 0],
        ]
    )
    func refuses(fields: [Int]) {
        #expect(CivilTime(year: fields[0], month: fields[1], day: fields[2], hour: fields[3], minute: fields[4], second: fields[5]) == nil)
    }
}
