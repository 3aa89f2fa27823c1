import Documents
import GRDB

extension SQLiteDatabase {
    /// Counts and bytes of active documents in total, per category and per content type, the `recentLimit`
    /// most recent uploads, and the archived totals, all from one consistent snapshot.
    ///
    /// Totals come from `document_totals`, which triggers keep in step with `documents` inside every write, so
    /// this reads a few dozen rows however many documents exist; recent uploads walk the
    /// `(status, uploaded_at)` index backwards. `recentLimit` is clamped to `0...100`.
    package func stats(recentLimit: Int) async throws(PersistenceError) -> DocumentStats {
        let recentLimit = min(max(recentLimit, 0), 100)
        return try await read { db in
            var total = DocumentStats.Totals.zero
            var archived = DocumentStats.Totals.zero
            var byCategory = Dictionary(uniqueKeysWithValues: FileCategory.allCases.map { ($0, DocumentStats.Totals.zero) })
            var byContentType: [String: DocumentStats.Totals] = [:]
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT status, category, content_type, count, bytes FROM document_totals"))
            while let row = try rows.next() {
                let count: Int = row["count"]
                let bytes: Int64 = row["bytes"]
                guard count > 0 else { continue }
                let status: String = row["status"]
                guard status == DocumentStatus.active.rawValue else {
                    if status == DocumentStatus.archived.rawValue { archived.add(count: count, bytes: bytes) }
                    continue
                }
                total.add(count: count, bytes: bytes)
                if let category = FileCategory(rawValue: row["category"]) {
                    byCategory[category, default: .zero].add(count: count, bytes: bytes)
                }
                byContentType[row["content_type"], default: .zero].add(count: count, bytes: bytes)
            }
            let recent = try DocumentRecord.fetchAll(db.cachedStatement(sql: Self.recentSQL), arguments: [recentLimit])
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

extension SQLiteDatabase {
    /// The most recent active uploads, newest first (ties: last inserted first); walks the
    /// `(status, uploaded_at)` index backwards, so it never sorts.
    static let recentSQL =
        "SELECT \(DocumentRecord.selectionSQL) FROM documents WHERE status = 'active' ORDER BY uploaded_at DESC, rowid DESC LIMIT ?"
}
