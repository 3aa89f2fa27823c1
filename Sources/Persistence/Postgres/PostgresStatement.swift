import PostgresNIO

/// SQL text and its bound values built up together, so a placeholder (`$1`, `$2`, …) and its value can never
/// drift apart; for the statements whose shape depends on the request (listing and audit filters).
///
/// Values are always bound parameters, never spliced into the text.
struct PostgresStatement {
    /// The SQL so far.
    private(set) var sql: String
    /// The values of its placeholders, in order.
    private(set) var binds = PostgresBindings()

    /// Starts a statement with `sql`, which holds no placeholder yet.
    init(_ sql: String) {
        self.sql = sql
    }

    /// Binds `value` and returns its placeholder, to be written into the SQL.
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Binds `value`, or NULL, and returns its placeholder.
    mutating func bind(_ value: (some PostgresDynamicTypeEncodable)?) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Appends SQL text (which refers to placeholders that ``bind(_:)`` returned).
    mutating func append(_ text: String) {
        sql += text
    }

    /// The statement to send.
    var query: PostgresQuery {
        PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}
