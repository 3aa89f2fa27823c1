import Foundation
import UTCCalendar

/// A SigV4 timestamp: the `X-Amz-Date` form `YYYYMMDDTHHMMSSZ` (ISO 8601 basic, UTC) and its `YYYYMMDD` day.
///
/// Formatted and parsed by hand with integer calendar arithmetic (`CivilTime`): no `DateFormatter`, no locale, no
/// allocation on the signing path. Whole seconds only; fractions are dropped.
package struct AmzDate: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    package let epochSeconds: Int
    /// Days since 1970-01-01; the signing-key cache is keyed by it.
    let dayNumber: Int
    /// The UTC calendar fields.
    let civil: CivilTime

    /// 1970-01-01T00:00:00Z ... 9999-12-31T23:59:59Z: the years a 4-digit `X-Amz-Date` can express.
    static var validSeconds: ClosedRange<Int> { CivilTime.epochSecondsOf1970Through9999 }

    /// The timestamp for `date`, truncated to whole seconds (signing takes the date as an input, never the clock).
    package init(_ date: Date) throws(SigV4Error) {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, interval >= 0, interval < Double(Self.validSeconds.upperBound + 1) else {
            throw SigV4Error.invalidDate.with(message: "the signing date must lie between 1970 and 9999")
        }
        self.init(epochSeconds: Int(interval.rounded(.down)))
    }

    /// Parses `YYYYMMDDTHHMMSSZ` exactly (the `--date` option and `X-Amz-Date` of a URL being verified).
    package init(parsing text: String) throws(SigV4Error) {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z"),
            let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[4..<6]), let day = Self.number(bytes[6..<8]),
            let hour = Self.number(bytes[9..<11]), let minute = Self.number(bytes[11..<13]), let second = Self.number(bytes[13..<15]),
            year >= 1970, let civil = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else {
            throw SigV4Error.invalidDate.with(message: "a date must look like 20130524T000000Z (UTC)")
        }
        self.init(epochSeconds: civil.epochSeconds)
    }

    /// Builds the calendar fields from `epochSeconds`, which must be within `validSeconds`.
    init(epochSeconds: Int) {
        self.epochSeconds = epochSeconds
        self.dayNumber = epochSeconds / 86_400
        self.civil = CivilTime(epochSeconds: epochSeconds)
    }

    /// The same instant as a `Date`.
    package var date: Date { Date(timeIntervalSince1970: TimeInterval(self.epochSeconds)) }

    /// `YYYYMMDDTHHMMSSZ`, the value of `X-Amz-Date`.
    package var timestamp: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        self.appendTimestamp(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYYMMDD`, the date part of the credential scope.
    package var dateStamp: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8)
        self.appendDateStamp(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Orders by instant.
    package static func < (lhs: AmzDate, rhs: AmzDate) -> Bool { lhs.epochSeconds < rhs.epochSeconds }

    /// Appends `YYYYMMDD`.
    func appendDateStamp(to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { buffer in
            self.writeDateStamp(to: buffer)
            bytes.append(contentsOf: buffer)
        }
    }

    /// Appends `YYYYMMDDTHHMMSSZ`.
    func appendTimestamp(to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
            self.writeDateStamp(to: buffer)
            buffer[8] = UInt8(ascii: "T")
            Self.writeTwoDigits(self.civil.hour, to: buffer, at: 9)
            Self.writeTwoDigits(self.civil.minute, to: buffer, at: 11)
            Self.writeTwoDigits(self.civil.second, to: buffer, at: 13)
            buffer[15] = UInt8(ascii: "Z")
            bytes.append(contentsOf: buffer)
        }
    }

    /// Writes `YYYYMMDD` into the first 8 bytes of `buffer`; the year has 4 digits (`validSeconds`).
    private func writeDateStamp(to buffer: UnsafeMutableBufferPointer<UInt8>) {
        Self.writeTwoDigits(self.civil.year / 100, to: buffer, at: 0)
        Self.writeTwoDigits(self.civil.year % 100, to: buffer, at: 2)
        Self.writeTwoDigits(self.civil.month, to: buffer, at: 4)
        Self.writeTwoDigits(self.civil.day, to: buffer, at: 6)
    }

    /// Writes `value` (0...99) as two decimal digits at `offset`.
    @inline(__always)
    private static func writeTwoDigits(_ value: Int, to buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        precondition(offset + 2 <= buffer.count, "two digits past the end of the buffer")
        buffer[offset] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10)
        buffer[offset + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte &- UInt8(ascii: "0"))
        }
        return value
    }
}
