import UTCCalendar

/// An entry's modification time in the MS-DOS form ZIP headers hold (APPNOTE.TXT 4.4.6): two 16-bit fields, to
/// two seconds, from 1980 to 2107. Written in UTC: the format has no zone, and UTC is what medvault records.
package struct DOSDateTime: Sendable, Equatable {
    /// `hour << 11 | minute << 5 | second / 2`.
    package let time: UInt16
    /// `(year - 1980) << 9 | month << 5 | day`.
    package let date: UInt16

    /// The fields of the instant `epochSeconds` seconds after 1970, clamped to the range the format can express.
    package init(epochSeconds: Int) {
        let earliest = 315_532_800  // 1980-01-01T00:00:00Z
        let latest = 4_354_819_198  // 2107-12-31T23:59:58Z
        let civil = CivilTime(epochSeconds: min(max(epochSeconds, earliest), latest))
        time = UInt16(civil.hour << 11 | civil.minute << 5 | civil.second / 2)
        date = UInt16((civil.year - 1980) << 9 | civil.month << 5 | civil.day)
    }
}
