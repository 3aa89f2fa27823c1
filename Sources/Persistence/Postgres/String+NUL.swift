extension String {
    /// Whether the text holds U+0000, which PostgreSQL's `text` cannot store: a lookup by such a value can match
    /// nothing, and binding it would fail.
    var containsNUL: Bool {
        utf8.contains(0)
    }
}
