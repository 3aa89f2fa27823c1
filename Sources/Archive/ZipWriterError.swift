/// Why the ZIP writer refused a call: the caller broke the order of an archive (an entry begun while another is
/// open, the archive finished twice) or declared something the format cannot hold.
///
/// A struct around a private `Code`, so cases can be added without breaking callers; equality compares the code.
/// Messages never contain an entry's name (it may be a patient's file name).
package struct ZipWriterError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case nameTooLong = "name_too_long"
        case entryOpen = "entry_open"
        case noEntryOpen = "no_entry_open"
        case sizeMismatch = "size_mismatch"
        case finished
    }

    private let errorCode: Code
    /// A human-readable explanation, safe to log.
    package let message: String

    private init(_ code: Code, _ message: String) {
        self.errorCode = code
        self.message = message
    }

    /// A stable machine-readable code.
    package var code: String { errorCode.rawValue }

    package var description: String { message }

    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.errorCode == rhs.errorCode }

    package func hash(into hasher: inout Hasher) { hasher.combine(errorCode) }

    /// An entry's UTF-8 name is longer than the 65,535 bytes its length field holds.
    package static let nameTooLong = Self(.nameTooLong, "an entry name is longer than 65535 bytes")
    /// An entry was begun, or the archive finished, while another entry's data was still being written.
    package static let entryOpen = Self(.entryOpen, "the previous entry has not ended")
    /// An entry was ended without being begun.
    package static let noEntryOpen = Self(.noEntryOpen, "no entry is open")
    /// The bytes written for an entry are not as many as it declared when it began: its header would be wrong.
    package static let sizeMismatch = Self(.sizeMismatch, "an entry's data is not the size it declared")
    /// The archive was already finished.
    package static let finished = Self(.finished, "the archive is already finished")
}
