import Foundation

extension Date {
    /// Whole milliseconds since 1970-01-01T00:00:00Z, rounded to the nearest: the form audit rows and document
    /// rows store, and the form ``AuditChain`` hashes.
    ///
    /// Rounding (not truncating) makes the conversion stable: `Date(millisecondsSince1970: ms)` converts back
    /// to exactly `ms`, although `ms / 1000` is rarely exact in binary floating point.
    package var millisecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }

    /// This date rounded to the millisecond: what storing it and reading it back gives, so values built in memory
    /// compare equal to the same values read from the database.
    package var roundedToMilliseconds: Date {
        Date(millisecondsSince1970: millisecondsSince1970)
    }

    /// The date `milliseconds` after 1970-01-01T00:00:00Z; the inverse of ``millisecondsSince1970``.
    package init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
