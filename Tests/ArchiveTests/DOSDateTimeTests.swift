import Testing

@testable import Archive

@Suite struct DOSDateTimeTests {
    @Test func packsTheUTCFieldsToTwoSeconds() {
        // 2026-12-07T20:10:52Z
        let stamp = DOSDateTime(epochSeconds: 1_796_674_252)
        #expect(stamp.time == 0xA15A)
        #expect(stamp.date == 0x5D87)
        #expect(DOSDateTime(epochSeconds: 1_796_674_253) == stamp)
    }

    @Test func clampsToTheYearsTheFormatHolds() {
        #expect(DOSDateTime(epochSeconds: 0) == DOSDateTime(epochSeconds: 315_532_800))
        #expect(DOSDateTime(epochSeconds: 315_532_800).date == 1 << 5 | 1)
        #expect(DOSDateTime(epochSeconds: 9_999_999_999).date == 127 << 9 | 12 << 5 | 31)
    }
}
