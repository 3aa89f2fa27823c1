/// Makes an error's message safe for the server log by removing what could name a document.
///
/// Error messages are written by many hands (Foundation, SQLite, GRDB, S3, our own modules), and some quote what
/// they were working on: Foundation names the file ("The file “scan.pdf” couldn’t be saved"), GRDB appends the SQL
/// statement, S3 may echo the object key. Keys and file names carry patient ids and what a document is about, so
/// they must not reach the logs (DESIGN.md, "Audit"; STYLE.md). Rather than trust each source, every message is
/// scrubbed the same way; what remains (error codes, errno texts, SQLite's reasons) is what an operator needs.
enum LogRedaction {
    /// What replaces a removed part.
    static let placeholder = "[redacted]"
    /// The longest message kept; the rest is cut.
    static let maxLength = 400

    /// Opening and closing quotes whose contents are removed: ASCII, typographic and backticks (GRDB's SQL).
    private static let quotes: [Character: Character] = ["\"": "\"", "'": "'", "`": "`", "“": "”", "‘": "’", "«": "»"]

    /// `text` without quoted parts, without words that contain a path separator (paths, object keys, URLs) and
    /// without words that look like a file name (`name.ext`), cut to ``maxLength`` characters.
    static func scrub(_ text: String) -> String {
        let words = removingQuotedParts(of: text).split(separator: " ", omittingEmptySubsequences: false).map { word in
            looksLikeAName(word) ? placeholder : String(word)
        }
        let scrubbed = words.joined(separator: " ")
        return scrubbed.count > maxLength ? String(scrubbed.prefix(maxLength)) + "…" : scrubbed
    }

    /// Replaces every quoted part by ``placeholder``; an unclosed quote removes the rest of the text.
    private static func removingQuotedParts(of text: String) -> String {
        var result = ""
        var closing: Character?
        for character in text {
            if let expected = closing {
                if character == expected { closing = nil }
            } else if let close = quotes[character], !isApostrophe(character, after: result.last) {
                closing = close
                result += placeholder
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// An ASCII `'` or a `’` inside a word ("couldn't") is an apostrophe, not a quote.
    private static func isApostrophe(_ character: Character, after previous: Character?) -> Bool {
        character == "'" && (previous?.isLetter ?? false)
    }

    /// Whether `word` (trailing punctuation aside) contains `/` or `\`, or has the shape `name.ext`.
    private static func looksLikeAName(_ word: Substring) -> Bool {
        let trimmed = word.trimmingSuffix { ",;:)(".contains($0) }
        if trimmed.contains("/") || trimmed.contains("\\") { return true }
        guard let dot = trimmed.lastIndex(of: "."), dot != trimmed.startIndex else { return false }
        let name = trimmed[..<dot]
        let fileExtension = trimmed[trimmed.index(after: dot)...]
        return (1...8).contains(fileExtension.count) && fileExtension.allSatisfy { $0.isLetter || $0.isNumber }
            && !name.allSatisfy { $0.isNumber || $0 == "." }
    }
}

extension Substring {
    /// The substring without the trailing characters that match `predicate`.
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
