import Documents
import GRDB

extension SQLiteDatabase {
    /// One page of documents matching `query`, ordered by key, with where the next page starts.
    ///
    /// Keyset pagination: the page is `key > afterKey ORDER BY key LIMIT limit + 1`, the extra row only telling
    /// whether another page exists. Every condition is sargable: the prefix is a key range (`key >= prefix AND
    /// key < successor(prefix)`), served by the `(status, key)` or `(status, category, key)` index, so a page
    /// costs about `limit` index steps whatever the table size. Search is a substring test on `search_name`
    /// (a `LIKE` with `%`, `_` and `\` escaped) applied while walking that index, which is quick while matches
    /// are common; a term that matches few documents is looked up in the trigram index instead (see
    /// ``searchIndexStatement(for:)``), so a rare term does not walk the whole index. Which of the two a term
    /// takes is counted once and remembered until documents are added or removed (``SearchPlanCache``).
    ///
    /// A ``DocumentQuery/visibility`` adds its condition on the stored entity (``visibilityCondition(_:)``). For one
    /// patient or provider, SQLite walks the `(status, entity_type, entity_id, key)` index, so a patient's page
    /// costs about `limit` steps; for several (a care team), it walks the key index and tests each row, so a page
    /// costs up to the number of documents between the cursor and the page's last visible row.
    package func listDocuments(_ query: DocumentQuery) async throws(PersistenceError) -> DocumentPage {
        let limit = query.pageSize
        let (sql, arguments) = Self.listStatement(for: query)
        let indexed = Self.searchIndexStatement(for: query)
        let cacheable = Self.hasFixedShape(query)
        let searchPlans = searchPlans
        let generation = searchPlans.generation
        var documents = try await read { db in
            func statement(_ sql: String) throws -> Statement {
                try cacheable ? db.cachedStatement(sql: sql) : db.makeStatement(sql: sql)
            }
            if let indexed {
                let favoured: Bool
                if let known = searchPlans.favoured(indexed.matchExpression) {
                    favoured = known
                } else {
                    favoured = try Self.searchIndexFavoured(for: indexed.matchExpression, in: db)
                    searchPlans.remember(indexed.matchExpression, favoured: favoured, generation: generation)
                }
                if favoured { return try DocumentRecord.fetchAll(statement(indexed.sql), arguments: indexed.arguments) }
            }
            return try DocumentRecord.fetchAll(statement(sql), arguments: arguments)
        }
        let hasMore = documents.trimToPage(limit: limit)
        return DocumentPage(documents: documents, nextAfterKey: hasMore ? documents.last?.key : nil)
    }

    /// Whether the listing SQL of `query` is one of a small, fixed set of texts, so its prepared statement is
    /// worth keeping in the connection's statement cache (which never evicts). A care team's visibility puts one
    /// `?` per patient in the SQL, and caching one statement per team size would let the cache grow without bound.
    static func hasFixedShape(_ query: DocumentQuery) -> Bool {
        guard let visibility = query.visibility else { return true }
        return visibility.patientIDs.count <= 1 && visibility.providerIDs.count <= 1 && visibility.appointmentIDs.count <= 1
    }

    /// The SQL and arguments of a listing (one row more than the page, to know whether another page exists);
    /// internal so tests can check its query plan.
    static func listStatement(for query: DocumentQuery) -> (sql: String, arguments: StatementArguments) {
        filteredStatement(for: query, selecting: "SELECT \(DocumentRecord.selectionSQL) FROM documents WHERE status = ?", arguments: [])
    }

    /// `select` (which ends with `status = ?`) and `arguments` followed by the query's status, filters, order and
    /// limit: the part that the key-index walk and the trigram-index lookup share.
    static func filteredStatement(
        for query: DocumentQuery,
        selecting select: String,
        arguments initialArguments: StatementArguments
    ) -> (sql: String, arguments: StatementArguments) {
        var sql = select
        var arguments = initialArguments
        arguments += [query.status.rawValue]
        if let category = query.category {
            sql += " AND category = ?"
            arguments += [category.rawValue]
        }
        if let visibility = query.visibility {
            let condition = visibilityCondition(visibility)
            sql += " AND (" + condition.sql + ")"
            arguments += condition.arguments
        }
        if !query.prefix.isEmpty {
            sql += " AND key >= ?"
            arguments += [query.prefix]
            if let upperBound = DocumentQuery.prefixUpperBound(query.prefix) {
                sql += " AND key < ?"
                arguments += [upperBound]
            }
        }
        if let afterKey = query.afterKey {
            sql += " AND key > ?"
            arguments += [afterKey]
        }
        if let search = query.search, !search.isEmpty {
            sql += " AND search_name LIKE ? ESCAPE '\\'"
            arguments += [DocumentQuery.likePattern(for: search)]
        }
        sql += " ORDER BY key LIMIT ?"
        arguments += [query.pageSize + 1]
        return (sql, arguments)
    }

    /// The SQL condition (bound parameters only) that keeps the rows `visibility` allows: one term per kind of
    /// entity, joined with OR; `0` when it allows nothing.
    static func visibilityCondition(_ visibility: DocumentVisibility) -> (sql: String, arguments: StatementArguments) {
        var terms: [String] = []
        var arguments = StatementArguments()
        func entities(_ type: EntityType, _ ids: [String]) {
            guard !ids.isEmpty else { return }
            terms.append("(entity_type = ? AND entity_id IN (\(databaseQuestionMarks(count: ids.count))))")
            arguments += [type.rawValue]
            arguments += StatementArguments(ids)
        }
        entities(.patient, visibility.patientIDs)
        entities(.provider, visibility.providerIDs)
        entities(.appointment, visibility.appointmentIDs)
        if let uploadedBy = visibility.uploadedBy {
            terms.append("(entity_type IN (?, ?) AND uploaded_by = ?)")
            arguments += [EntityType.appointment.rawValue, EntityType.prescription.rawValue, uploadedBy]
        }
        return (terms.isEmpty ? "0" : terms.joined(separator: " OR "), arguments)
    }
}
