import Documents
import PostgresNIO

extension PostgreSQLDatabase {
    /// One page of documents matching `query`, ordered by key, with where the next page starts.
    ///
    /// Keyset pagination as on SQLite: `key > afterKey ORDER BY key LIMIT limit + 1`, the extra row only telling
    /// whether another page exists; a prefix is a key range; keys are `COLLATE "C"`, so pages and continuation
    /// tokens follow the same bytewise order on both engines. Search is `search_name LIKE '%term%'`, which the
    /// planner answers from the `pg_trgm` GIN index or while walking the key index, whichever it judges cheaper.
    /// A visibility is one `entity_id = ANY($n)` per entity type, so the statement keeps its shape whatever the
    /// size of a care team.
    package func listDocuments(_ query: DocumentQuery) async throws(PersistenceError) -> DocumentPage {
        // PostgreSQL text cannot hold NUL: a filter with one matches nothing (and could not be bound).
        guard !query.mentionsNUL else { return DocumentPage(documents: [], nextAfterKey: nil) }
        let statement = Self.listStatement(for: query)
        let logger = logger
        var documents = try await read { connection in
            var documents: [DocumentRecord] = []
            for try await row in try await connection.query(statement.query, logger: logger) {
                documents.append(try DocumentRecord(postgresRow: row))
            }
            return documents
        }
        let hasMore = documents.trimToPage(limit: query.pageSize)
        return DocumentPage(documents: documents, nextAfterKey: hasMore ? documents.last?.key : nil)
    }

    /// The statement of a listing (one row more than the page); internal so tests can read its plan.
    static func listStatement(for query: DocumentQuery) -> PostgresStatement {
        var statement = PostgresStatement("SELECT \(DocumentRecord.postgresColumns) FROM documents WHERE ")
        statement.append("status = " + statement.bind(query.status.rawValue))
        if let category = query.category {
            statement.append(" AND category = " + statement.bind(category.rawValue))
        }
        if let visibility = query.visibility {
            statement.append(" AND (" + visibilityCondition(visibility, in: &statement) + ")")
        }
        if !query.prefix.isEmpty {
            statement.append(" AND key >= " + statement.bind(query.prefix))
            if let upperBound = DocumentQuery.prefixUpperBound(query.prefix) {
                statement.append(" AND key < " + statement.bind(upperBound))
            }
        }
        if let afterKey = query.afterKey {
            statement.append(" AND key > " + statement.bind(afterKey))
        }
        if let search = query.search, !search.isEmpty {
            statement.append(" AND search_name LIKE " + statement.bind(DocumentQuery.likePattern(for: search)))
        }
        statement.append(" ORDER BY key LIMIT " + statement.bind(query.pageSize + 1))
        return statement
    }

    /// The condition that keeps the rows `visibility` allows: one term per kind of entity, joined with OR;
    /// `false` when it allows nothing.
    private static func visibilityCondition(_ visibility: DocumentVisibility, in statement: inout PostgresStatement) -> String {
        var terms: [String] = []
        if !visibility.patientIDs.isEmpty {
            let type = statement.bind(EntityType.patient.rawValue)
            terms.append("(entity_type = \(type) AND entity_id = ANY(\(statement.bind(visibility.patientIDs))))")
        }
        if !visibility.providerIDs.isEmpty {
            let type = statement.bind(EntityType.provider.rawValue)
            terms.append("(entity_type = \(type) AND entity_id = ANY(\(statement.bind(visibility.providerIDs))))")
        }
        if !visibility.appointmentIDs.isEmpty {
            let type = statement.bind(EntityType.appointment.rawValue)
            terms.append("(entity_type = \(type) AND entity_id = ANY(\(statement.bind(visibility.appointmentIDs))))")
        }
        if let uploadedBy = visibility.uploadedBy {
            let types = statement.bind([EntityType.appointment.rawValue, EntityType.prescription.rawValue])
            terms.append("(entity_type = ANY(\(types)) AND uploaded_by = \(statement.bind(uploadedBy)))")
        }
        return terms.isEmpty ? "false" : terms.joined(separator: " OR ")
    }
}

extension DocumentQuery {
    /// Whether any text of the query holds NUL, which no stored value can.
    fileprivate var mentionsNUL: Bool {
        let texts =
            [prefix, search ?? "", afterKey ?? "", visibility?.uploadedBy ?? ""]
            + (visibility?.patientIDs ?? []) + (visibility?.providerIDs ?? []) + (visibility?.appointmentIDs ?? [])
        return texts.contains { $0.containsNUL }
    }
}
