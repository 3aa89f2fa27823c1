/// clamd's answer to `VERSION`: the engine's version and, once official signatures are loaded, the database version
/// and the date it was built (clamd/session.c, `print_ver`).
///
/// `ClamAV 1.4.6/27491/Tue Dec 17 09:37:52 2024`, or just `ClamAV 1.4.6` when only unofficial signature files
/// (`.hdb`, `.ndb`, …) are loaded, which carry no version.
package struct ClamdVersion: Sendable, Hashable {
    /// The engine's version, e.g. `1.4.6`.
    package let engine: String
    /// The signature database's version (the daily database's number), nil without official databases.
    package let signatureVersion: Int?
    /// The day the signature database was built, `YYYY-MM-DD` as clamd printed it (clamd prints its own local time,
    /// without a zone, so no finer time is claimed); nil without official databases.
    package let signatureDate: String?

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    package init(engine: String, signatureVersion: Int?, signatureDate: String?) {
        self.engine = engine
        self.signatureVersion = signatureVersion
        self.signatureDate = signatureDate
    }

    /// Parses a VERSION answer; throws ``ScanError/malformedReply(_:)`` for anything else.
    init(parsing answer: String) throws(ScanError) {
        guard answer.hasPrefix("ClamAV "), answer.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw .malformedReply("a VERSION answer that does not start with `ClamAV ` (\(answer.utf8.count) bytes)")
        }
        let fields = answer.dropFirst("ClamAV ".count).split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard let engine = fields.first, !engine.isEmpty, !engine.contains(" ") else {
            throw .malformedReply("a VERSION answer without an engine version")
        }
        switch fields.count {
        case 1:
            self.init(engine: String(engine), signatureVersion: nil, signatureDate: nil)
        case 3:
            guard let version = Int(fields[1]), version > 0, let date = Self.day(ofCTime: fields[2]) else {
                throw .malformedReply("a VERSION answer whose database version or date cannot be read")
            }
            self.init(engine: String(engine), signatureVersion: version, signatureDate: date)
        default:
            throw .malformedReply("a VERSION answer with \(fields.count) fields")
        }
    }

    /// `YYYY-MM-DD` from ctime(3)'s `Www Mmm dd hh:mm:ss yyyy` (the day of the month is padded with a space).
    private static func day(ofCTime text: Substring) -> String? {
        let words = text.split(separator: " ")
        guard words.count == 5, let month = months.firstIndex(of: String(words[1])),
            let day = Int(words[2]), (1...31).contains(day),
            words[4].count == 4, let year = Int(words[4])
        else { return nil }
        return "\(year)-\(twoDigits(month + 1))-\(twoDigits(day))"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
