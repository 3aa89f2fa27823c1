import Documents
import PostgresNIO

extension PostgreSQLDatabase {
    /// Counts and bytes of active documents in total, per category and per content type, the `recentLimit` most
    /// recent uploads, and the archived totals, all from one snapshot.
    ///
    /// Totals come from `document_totals`, which a trigger keeps in step with `documents` inside every write, so
    /// this reads a few dozen rows however many documents exist. `recentLimit` is clamped to `0...100`.
    package func stats(recentLimit: Int) async throws(PersistenceError) -> DocumentStats {
        let recentLimit = min(max(recentLimit, 0), 100)
        let logger = logger
        return try await snapshot { connection in
            var total = DocumentStats.Totals.zero
            var archived = DocumentStats.Totals.zero
            var byCategory = Dictionary(uniqueKeysWithValues: FileCategory.allCases.map { ($0, DocumentStats.Totals.zero) })
            var byContentType: [String: DocumentStats.Totals] = [:]
            let totals = try await connection.query("SELECT status, category, content_type, count, bytes FROM document_totals", logger: logger)
            for try await (status, categoryName, contentType, count, bytes) in totals.decode((String, String, String, Int, Int64).self) {
                guard count > 0 else { continue }
                guard status == DocumentStatus.active.rawValue else {
                    if status == DocumentStatus.archived.rawValue { archived.add(count: count, bytes: bytes) }
                    continue
                }
                total.add(count: count, bytes: bytes)
                if let category = FileCategory(rawValue: categoryName) {
                    byCategory[category, default: .zero].add(count: count, bytes: bytes)
                }
                byContentType[contentType, default: .zero].add(count: count, bytes: bytes)
            }
            var recent: [DocumentRecord] = []
            let rows = try await connection.query(
                """
                SELECT \(unescaped: DocumentRecord.postgresColumns) FROM documents WHERE status = 'active'
                ORDER BY uploaded_at DESC, inserted DESC LIMIT \(recentLimit)
                """,
                logger: logger
            )
            for try await row in rows {
                recent.append(try DocumentRecord(postgresRow: row))
            }
            return DocumentStats(
                totalCount: total.count,
                totalBytes: total.bytes,
                byCategory: byCategory,
                byContentType: byContentType,
                recent: recent,
                archivedCount: archived.count,
                archivedBytes: archived.bytes
            )
        }
    }
}
