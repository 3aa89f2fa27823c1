/// Splits a migration file into its SQL statements, for PostgreSQL's extended query protocol (the one
/// postgres-nio speaks), which runs one statement per query.
///
/// A `;` ends a statement only outside quotes and comments, so the scanner follows the lexical rules of the
/// PostgreSQL manual (§4.1): `'…'` strings with `''` doubled quotes (and backslash escapes in `E'…'`), `"…"`
/// identifiers, `$tag$…$tag$` dollar-quoted bodies (function bodies hold semicolons), `--` line comments and
/// nested `/* … */` block comments. Statements are returned trimmed, in order, without their `;` and the comments
/// before them; empty ones and comment-only ones are dropped.
enum PostgresStatementSplitter {
    /// The statements of `sql`, in order.
    static func statements(in sql: String) -> [String] {
        let characters = Array(sql.unicodeScalars)
        var statements: [String] = []
        var start = 0
        var index = 0
        var hasCode = false
        func emit(upTo end: Int) {
            if hasCode {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: characters[start..<end])
                statements.append(String(view).trimmingWhitespace())
            }
            start = end + 1
            hasCode = false
        }
        while index < characters.count {
            let character = characters[index]
            let next: Unicode.Scalar? = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "-" where next == "-":
                index = skipLineComment(characters, from: index)
                if !hasCode { start = index }
                continue
            case "/" where next == "*":
                index = skipBlockComment(characters, from: index)
                if !hasCode { start = index }
                continue
            case ";":
                emit(upTo: index)
            case "'":
                let escapes = index > 0 && (characters[index - 1] == "E" || characters[index - 1] == "e")
                index = skipQuoted(characters, from: index, quote: "'", backslashEscapes: escapes)
                hasCode = true
                continue
            case "\"":
                index = skipQuoted(characters, from: index, quote: "\"", backslashEscapes: false)
                hasCode = true
                continue
            case "$":
                if let end = skipDollarQuoted(characters, from: index) {
                    index = end
                    hasCode = true
                    continue
                }
                hasCode = true
            default:
                if !character.properties.isWhitespace { hasCode = true }
            }
            index += 1
        }
        emit(upTo: characters.count)
        return statements
    }

    /// The index after the end of the `--` comment starting at `index` (its newline included).
    private static func skipLineComment(_ characters: [Unicode.Scalar], from index: Int) -> Int {
        var index = index
        while index < characters.count, characters[index] != "\n" { index += 1 }
        return index + 1
    }

    /// The index after the `*/` that closes the block comment starting at `index`; block comments nest.
    private static func skipBlockComment(_ characters: [Unicode.Scalar], from index: Int) -> Int {
        var depth = 0
        var index = index
        while index + 1 < characters.count {
            if characters[index] == "/" && characters[index + 1] == "*" {
                depth += 1
                index += 2
            } else if characters[index] == "*" && characters[index + 1] == "/" {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return characters.count
    }

    /// The index after the quote that closes the quoted text starting at `index`; a doubled quote is part of
    /// the text, and so is a backslash-escaped character in an `E'…'` string.
    private static func skipQuoted(_ characters: [Unicode.Scalar], from index: Int, quote: Unicode.Scalar, backslashEscapes: Bool) -> Int {
        var index = index + 1
        while index < characters.count {
            let character = characters[index]
            if backslashEscapes && character == "\\" {
                index += 2
            } else if character == quote {
                if index + 1 < characters.count && characters[index + 1] == quote {
                    index += 2
                } else {
                    return index + 1
                }
            } else {
                index += 1
            }
        }
        return characters.count
    }

    /// If a dollar quote (`$$` or `$tag$`, the tag an identifier without `$`) opens at `index`, the index after
    /// the matching closing quote; nil when the `$` opens no quote (a parameter such as `$1`).
    private static func skipDollarQuoted(_ characters: [Unicode.Scalar], from index: Int) -> Int? {
        var tagEnd = index + 1
        while tagEnd < characters.count, characters[tagEnd] != "$" {
            let character = characters[tagEnd]
            let isTagCharacter =
                character == "_" || character.properties.isAlphabetic || (tagEnd > index + 1 && ("0"..."9").contains(character))
            guard isTagCharacter else { return nil }
            tagEnd += 1
        }
        guard tagEnd < characters.count else { return nil }
        let tag = Array(characters[index...tagEnd])
        var search = tagEnd + 1
        while search + tag.count <= characters.count {
            if characters[search] == "$" && Array(characters[search..<(search + tag.count)]) == tag {
                return search + tag.count
            }
            search += 1
        }
        return characters.count
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
