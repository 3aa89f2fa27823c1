import Foundation
import Testing

@testable import SigV4

/// The hand-written timestamp formatting and parsing.
@Suite("AmzDate")
struct AmzDateTests {
    @Test(
        "formats like ISO 8601 basic UTC, and parses back",
        arguments: [
            (0, "19700101T000000Z"), (951_782_400, "20000229T000000Z"), (1_369_353_600, "20130524T000000Z"),
            (1_440_938_160, "20150830T123600Z"), (1_709_251_199, "20240229T235959Z"), (4_102_444_799, "20991231T235959Z"),
            (4_107_542_400, "21000301T000000Z"),
            (253_402_300_799, "99991231T235959Z"),
        ]
    )
    func roundTrip(seconds: Int, text: String) throws {
        let date = try AmzDate(Date(timeIntervalSince1970: TimeInterval(seconds)))
        #expect(date.timestamp == text)
        #expect(date.dateStamp == String(text.prefix(8)))
        #expect(try AmzDate(parsing: text).epochSeconds == seconds)
        #expect(try AmzDate(parsing: text).date == Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    @Test("agrees with Foundation on a spread of instants")
    func matchesFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for seconds in stride(from: 0, to: 4_102_444_800, by: 7_776_013) {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let expected = String(
                format: "%04d%02d%02dT%02d%02d%02dZ",
                parts.year ?? 0,
                parts.month ?? 0,
                parts.day ?? 0,
                parts.hour ?? 0,
                parts.minute ?? 0,
                parts.second ?? 0
            )
            #expect(try AmzDate(date).timestamp == expected)
        }
    }

    @Test(
        "formats edge dates: ends of months and years, leap days, century years, single-digit fields",
        arguments: [
            ("19700101T000000Z", "19700101T000001Z"), ("19991231T235959Z", "20000101T000000Z"),
            ("20000228T235959Z", "20000229T000000Z"), ("20000229T235959Z", "20000301T000000Z"),
            ("20230228T235959Z", "20230301T000000Z"), ("20240131T235959Z", "20240201T000000Z"),
            ("20240430T235959Z", "20240501T000000Z"), ("20010203T040506Z", "20010203T040507Z"),
            ("21000228T235959Z", "21000301T000000Z"), ("24000228T235959Z", "24000229T000000Z"),
            ("99991231T235958Z", "99991231T235959Z"),
        ]
    )
    func edges(last: String, next: String) throws {
        let date = try AmzDate(parsing: last)
        let following = AmzDate(epochSeconds: date.epochSeconds + 1)
        #expect(date.timestamp == last)
        #expect(following.timestamp == next)
        #expect(following.dateStamp == String(next.prefix(8)))
        // Appending keeps what the buffer already holds.
        var bytes = Array("X-Amz-Date=".utf8)
        following.appendTimestamp(to: &bytes)
        following.appendDateStamp(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "X-Amz-Date=" + next + next.prefix(8))
    }

    @Test("drops fractions of a second")
    func truncates() throws {
        #expect(try AmzDate(Date(timeIntervalSince1970: 1_369_353_600.999)).timestamp == "20130524T000000Z")
    }

    @Test(
        "rejects malformed text",
        arguments: [
            "", "2013-05-24T00:00:00Z", "20130524T000000", "20130524t000000Z", "20130524T000000Z ", "20131324T000000Z",
            "20130230T000000Z", "20230229T000000Z", "20130524T240000Z", "20130524T006000Z", "20130524T000060Z", "19691231T235959Z",
            "2013052AT000000Z", "+0130524T000000Z",
        ]
    )
    func rejects(text: String) {
        #expect(throws: SigV4Error.invalidDate) { try AmzDate(parsing: text) }
    }

    @Test("rejects dates outside 1970...9999")
    func rejectsOutOfRange() {
        #expect(throws: SigV4Error.invalidDate) { try AmzDate(Date(timeIntervalSince1970: -1)) }
        #expect(throws: SigV4Error.invalidDate) { try AmzDate(Date(timeIntervalSince1970: 253_402_300_800)) }
        #expect(throws: SigV4Error.invalidDate) { try AmzDate(Date(timeIntervalSince1970: .nan)) }
    }
}
