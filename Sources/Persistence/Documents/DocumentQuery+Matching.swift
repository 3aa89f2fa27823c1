extension DocumentQuery {
    /// The page size actually used: ``limit`` clamped to `1...maximumLimit`.
    package var pageSize: Int {
        min(max(limit, 1), Self.maximumLimit)
    }

    /// The `LIKE` pattern that finds `search` anywhere in a `search_name`: the term in its search form
    /// (``DocumentRecord/searchName(for:)``) with `\`, `%` and `_` escaped, between two `%`. Both engines take
    /// `\` as the escape character (SQLite through `ESCAPE '\'`, PostgreSQL by default).
    static func likePattern(for search: String) -> String {
        "%" + escapeLike(DocumentRecord.searchName(for: search)) + "%"
    }

    /// The smallest string greater than every string that starts with `prefix`, or nil if there is none.
    ///
    /// Keys compare bytewise on both engines (SQLite's BINARY collation, PostgreSQL's COLLATE "C") and UTF-8
    /// preserves code point order, so the bound is `prefix` with its last scalar replaced by the next scalar
    /// (skipping surrogates); a last scalar of U+10FFFF is dropped and the carry moves left.
    static func prefixUpperBound(_ prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if (0xD800...0xDFFF).contains(next) { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                return String(view)
            }
        }
        return nil
    }

    /// `text` with `\`, `%` and `_` escaped by `\`, so that `LIKE ... ESCAPE '\'` matches them literally.
    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
