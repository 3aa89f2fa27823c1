import Audit
import Foundation
import Testing

@testable import Server

@Suite struct MillisecondTimestampTests {
    private let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    @Test func writesTheStoredMillisecondExactly() {
        for (milliseconds, text) in [
            (Int64(0), "1970-01-01T00:00:00.000Z"),
            (951_825_600_001, "2000-02-29T12:00:00.001Z"),
            (1_783_643_226_350, "2026-07-10T00:27:06.350Z"),  // the format style writes .349 for this one
            (4_107_542_399_999, "2100-02-28T23:59:59.999Z"),
            (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        ] {
            #expect(MillisecondTimestamp.string(Date(millisecondsSince1970: milliseconds)) == text)
        }
    }

    @Test func agreesWithISO8601FormatStyleOnRandomInstants() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let milliseconds = Int64.random(in: 0...253_402_300_799_999, using: &generator)
            // Half a millisecond later, the format style's truncation lands on the stored millisecond.
            let reference = Date(timeIntervalSince1970: (Double(milliseconds) + 0.5) / 1000).formatted(style)
            #expect(MillisecondTimestamp.string(Date(millisecondsSince1970: milliseconds)) == reference, "\(milliseconds)")
        }
    }

    @Test func instantsBefore1970OrPast9999GoToTheFormatStyle() {
        for milliseconds: Int64 in [253_402_300_800_000, -1, -12_212_553_600_001, -62_135_596_800_000] {
            let date = Date(millisecondsSince1970: milliseconds)
            #expect(MillisecondTimestamp.string(date) == date.formatted(style))
        }
    }
}
