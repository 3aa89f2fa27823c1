import GRDB

@testable import Persistence

extension SQLiteDatabase {
    /// Inserts `count` active documents with SQL (fast even in a debug build): 500 patients, 9 categories,
    /// 3 content types, one upload per second.
    func fillWithSyntheticDocuments(count: Int) async throws {
        try await databasePool.write { db in
            try db.execute(
                sql: """
                    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
                    INSERT INTO documents (id, key, file_name, search_name, size, content_type, category, entity_type,
                        entity_id, sha256, etag, uploaded_at, status)
                    SELECT lower(printf('%08x-0000-4000-8000-%012x', i, i)),
                        printf('patients/p%03d/%d/%08d-file.pdf', i % 500, i % 9, i),
                        printf('Report %d.pdf', i), printf('report %d.pdf', i), 1000 + i,
                        CASE i % 3 WHEN 0 THEN 'application/pdf' WHEN 1 THEN 'image/png' ELSE 'text/csv' END,
                        CASE i % 9 WHEN 0 THEN 'medical-records' WHEN 1 THEN 'lab-results' WHEN 2 THEN 'imaging'
                            WHEN 3 THEN 'consent-forms' WHEN 4 THEN 'intake-forms' WHEN 5 THEN 'insurance'
                            WHEN 6 THEN 'invoices' WHEN 7 THEN 'prescriptions' ELSE 'other' END,
                        'patient', printf('p%03d', i % 500), printf('%064d', i), 'etag', 1750000000000 + i * 1000, 'active'
                    FROM n
                    """,
                arguments: [count]
            )
        }
    }
}
