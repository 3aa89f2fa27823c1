import Foundation
import GRDB

extension SQLiteDatabase {
    /// The most trigram-index candidates for which a search is answered from that index; above it, walking the
    /// key index with `LIKE` fills a page sooner.
    ///
    /// Looking a term up costs one row fetch per candidate plus a sort of the survivors; walking the key index
    /// costs about `page size × documents ÷ matches` cheap index steps. At 2,000 candidates the lookup takes
    /// about 2 ms, and a walk for a term with more matches than that stays under about 50 index steps per match
    /// wanted (a few ms at 100,000 documents), so neither path approaches the cost of walking everything.
    static let searchIndexCandidateLimit = 2000

    /// The listing of a search answered from the `documents_search` trigram index (migrations/0003): the
    /// candidate rows come from the index by rowid, are filtered exactly as ``listStatement(for:)`` filters them
    /// (the `LIKE` included, so the result is the same), then sorted by key; internal so tests can check its
    /// plan. Nil when the query has no search, when its term is shorter than 3 characters, which a trigram index
    /// cannot look up, or when it holds a NUL, which ends an FTS5 query string early.
    static func searchIndexStatement(for query: DocumentQuery) -> (sql: String, arguments: StatementArguments, matchExpression: String)? {
        guard let search = query.search else { return nil }
        let term = DocumentRecord.searchName(for: search)
        guard term.unicodeScalars.count >= 3, !term.unicodeScalars.contains("\u{0}") else { return nil }
        let match = matchExpression(for: term)
        let (sql, arguments) = filteredStatement(
            for: query,
            selecting: """
                SELECT \(DocumentRecord.selectionSQL) FROM documents NOT INDEXED
                WHERE rowid IN (SELECT rowid FROM documents_search WHERE documents_search MATCH ?) AND status = ?
                """,
            arguments: [match]
        )
        return (sql, arguments, match)
    }

    /// Whether the trigram index has at most ``searchIndexCandidateLimit`` candidates for `matchExpression`;
    /// counting stops one past the limit, so a common term costs little to rule out.
    static func searchIndexFavoured(for matchExpression: String, in db: Database) throws -> Bool {
        let candidates =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM documents_search WHERE documents_search MATCH ? LIMIT ?)"),
                arguments: [matchExpression, searchIndexCandidateLimit + 1]
            ) ?? 0
        return candidates <= searchIndexCandidateLimit
    }

    /// An FTS5 query for the phrase `term`: a double-quoted string, inner quotes doubled (FTS5 query syntax,
    /// §3.1), so any character of the term is literal. With the trigram tokenizer a phrase matches exactly the
    /// texts that contain the term as a substring.
    static func matchExpression(for term: String) -> String {
        "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
