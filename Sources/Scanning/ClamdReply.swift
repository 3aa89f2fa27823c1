/// Reads clamd's answers, as clamd 1.x writes them (clamd/session.c, clamd/scanner.c; clamd(8), "COMMANDS").
///
/// Commands are sent with the `z` prefix, so every answer ends with a NUL, which the connection strips before it
/// hands the text here. Outside an `IDSESSION` no answer has the `N: ` request-number prefix.
enum ClamdReply {
    /// The longest answer accepted: a signature name, or a VERSION line, is far shorter.
    static let maximumBytes = 4096
    /// The longest signature name kept; clamd's own names stay well under it.
    static let maximumSignatureBytes = 256

    /// The verdict of an `INSTREAM` answer:
    /// - `stream: OK` → clean;
    /// - `stream: NAME FOUND` → infected, unless NAME is a `Heuristics.Limits.Exceeded.*` alert, which says the scan
    ///   stopped short (``ScanError/scanLimitExceeded(_:)``);
    /// - `INSTREAM size limit exceeded. ERROR` → ``ScanError/streamTooLong``;
    /// - `stream: MESSAGE ERROR` or any other `… ERROR` → ``ScanError/scannerError(_:)``;
    /// - anything else → ``ScanError/malformedReply(_:)``.
    static func verdict(_ answer: String) throws(ScanError) -> ScanVerdict {
        if answer == "INSTREAM size limit exceeded. ERROR" { throw .streamTooLong }
        guard answer.hasPrefix("stream: ") else {
            if answer.hasSuffix(" ERROR") { throw .scannerError(printable(answer)) }
            throw .malformedReply("an INSTREAM answer without the `stream: ` prefix (\(answer.utf8.count) bytes)")
        }
        let status = answer.dropFirst("stream: ".count)
        if status == "OK" { return .clean }
        if status.hasSuffix(" FOUND") {
            let name = status.dropLast(" FOUND".count)
            guard isSignatureName(name) else {
                throw .malformedReply("a FOUND answer whose name is empty, too long or not printable ASCII")
            }
            if name.hasPrefix("Heuristics.Limits.Exceeded") { throw .scanLimitExceeded(String(name)) }
            return .infected(signature: String(name))
        }
        if status.hasSuffix(" ERROR") { throw .scannerError(printable(answer)) }
        throw .malformedReply("an INSTREAM answer that is neither OK, FOUND nor ERROR (\(answer.utf8.count) bytes)")
    }

    /// Checks a `PING` answer: `PONG`.
    static func pong(_ answer: String) throws(ScanError) {
        guard answer == "PONG" else {
            if answer.hasSuffix(" ERROR") { throw .scannerError(printable(answer)) }
            throw .malformedReply("a PING answer other than PONG (\(answer.utf8.count) bytes)")
        }
    }

    /// Whether `name` can be a signature name: printable ASCII without spaces, of sensible length. A name is written
    /// into the audit trail, so nothing else is let through.
    private static func isSignatureName(_ name: Substring) -> Bool {
        !name.isEmpty && name.utf8.count <= maximumSignatureBytes && name.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// clamd's own words for an error, with anything unprintable replaced, for the log.
    private static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(200).map { (0x20...0x7E).contains($0.value) ? $0 : "?" }))
    }
}
