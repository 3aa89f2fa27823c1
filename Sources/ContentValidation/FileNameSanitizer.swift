import Documents

/// Turns a client-supplied file name into one that is safe inside a key, a header and a shell, and always
/// satisfies ``ObjectNameRule`` (so `KeyLayout.documentKey` never has to replace it).
///
/// Steps, in order:
/// 1. keep only the last path component (split on `/` and `\`, so `..\..\x.pdf` and `C:\dir\x.pdf` become `x.pdf`);
/// 2. turn every whitespace character into a space, then drop what ``ObjectNameRule/isForbidden(_:)``
///    forbids (C0, DEL and C1 controls, `% ? # " < > | * :`, look-alike slashes, invisible formatting);
/// 3. normalise to NFC and collapse runs of spaces into one;
/// 4. strip leading spaces and trailing dots and spaces; split off the extension; strip leading dots from the stem;
/// 5. cap at ``ObjectNameRule/maxBytes`` UTF-8 bytes, cutting the stem (at a character boundary) and keeping
///    the extension (the part after the last dot, when it is 1–16 bytes without spaces);
/// 6. never return an empty stem: `file` takes its place (`.pdf` → `file.pdf`, `???` → `file`).
///
/// The original name is kept in metadata by the caller; this one is only for the key.
package enum FileNameSanitizer {
    /// Longest suffix still treated as an extension when capping the length.
    static let maxExtensionBytes = 16
    static let fallbackStem = "file"

    /// Returns the sanitised form of `raw`; total, idempotent, and always a valid object name.
    package static func sanitize(_ raw: String) -> String {
        let lastComponent =
            raw.unicodeScalars.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }.last ?? Substring.UnicodeScalarView()
        var cleaned = String.UnicodeScalarView()
        for scalar in lastComponent {
            if scalar.properties.isWhitespace {
                cleaned.append(" ")
            } else if !ObjectNameRule.isForbidden(scalar) {
                cleaned.append(scalar)
            }
        }
        // NFC after filtering (dropping a character can leave a combining sequence to compose), then filter
        // again: normalisation never produces a forbidden character today, but the rule is checked, not assumed.
        let normalized = UnicodeNormalization.nfc(String(cleaned)).unicodeScalars.filter { !ObjectNameRule.isForbidden($0) }
        let collapsed = collapseSpaces(String(String.UnicodeScalarView(normalized)))
        // Leading dots are stripped from the stem only, after the split, so ".pdf" keeps its extension.
        let trimmed = collapsed.trimmingEdges(leading: { $0 == " " }, trailing: { $0 == " " || $0 == "." })

        let (stem, fileExtension) = splitExtension(trimmed)
        let budget = ObjectNameRule.maxBytes - (fileExtension.map { $0.utf8.count + 1 } ?? 0)
        let isDotOrSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "." }
        var cappedStem = truncate(stem.trimmingEdges(leading: isDotOrSpace, trailing: { _ in false }), toUTF8Bytes: budget)
            .trimmingEdges(leading: isDotOrSpace, trailing: isDotOrSpace)
        if cappedStem.isEmpty { cappedStem = fallbackStem }
        let result = fileExtension.map { "\(cappedStem).\($0)" } ?? cappedStem
        return ObjectNameRule.violation(of: result) == nil ? result : fallback(extension: fileExtension)
    }

    /// Splits `name` at its last dot when what follows looks like an extension.
    static func splitExtension(_ name: String) -> (stem: String, extension: String?) {
        guard let dot = name.lastIndex(of: ".") else { return (name, nil) }
        let candidate = name[name.index(after: dot)...]
        guard !candidate.isEmpty, candidate.utf8.count <= maxExtensionBytes, !candidate.contains(" ") else { return (name, nil) }
        return (String(name[..<dot]), String(candidate))
    }

    private static func collapseSpaces(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previousWasSpace = false
        for scalar in text.unicodeScalars {
            let isSpace = scalar == " "
            if !(isSpace && previousWasSpace) { result.append(scalar) }
            previousWasSpace = isSpace
        }
        return String(result)
    }

    /// The longest prefix of `text`, cut between `Character`s, that fits in `limit` UTF-8 bytes.
    private static func truncate(_ text: String, toUTF8Bytes limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var result = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            guard used + size <= limit else { break }
            result.append(character)
            used += size
        }
        return result
    }

    private static func fallback(extension fileExtension: String?) -> String {
        if let fileExtension, ObjectNameRule.violation(of: "\(fallbackStem).\(fileExtension)") == nil {
            return "\(fallbackStem).\(fileExtension)"
        }
        return fallbackStem
    }
}

extension String {
    fileprivate func trimmingEdges(leading: (Unicode.Scalar) -> Bool, trailing: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !leading($0) }) else { return "" }
        guard let last = scalars[first...].lastIndex(where: { !trailing($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
