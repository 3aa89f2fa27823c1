/// A table that `medvault db copy` moves from SQLite to PostgreSQL, and the columns it pages through it by.
///
/// Tables are listed parents first (users before the care teams and sessions that refer to them). Tables the
/// target derives by itself are not copied: `document_totals` (PostgreSQL's triggers count the documents as they
/// arrive), `documents_search` (SQLite's trigram index; PostgreSQL indexes `search_name` itself), the migration
/// bookkeeping and the chain's head and keying rows (set from the source's by ``SQLiteToPostgres``).
struct CopiedTable: Sendable {
    let name: String
    /// The SQLite columns rows are read in the order of, a page at a time (`WHERE (key) > (last) ORDER BY key`):
    /// `rowid` where the table has one, so documents arrive in upload order, else the primary key.
    let key: [String]

    static let all: [CopiedTable] = [
        CopiedTable(name: "users", key: ["rowid"]),
        CopiedTable(name: "care_team_members", key: ["provider_user_id", "patient_id"]),
        CopiedTable(name: "appointments", key: ["id"]),
        CopiedTable(name: "sessions", key: ["token_hash"]),
        CopiedTable(name: "sign_in_buckets", key: ["rowid"]),
        CopiedTable(name: "documents", key: ["rowid"]),
        CopiedTable(name: "document_storage_classes", key: ["document_id"]),
        CopiedTable(name: "document_url_revocations", key: ["document_id"]),
        CopiedTable(name: "document_imports", key: ["rowid"]),
        CopiedTable(name: "upload_intents", key: ["rowid"]),
        CopiedTable(name: "upload_sessions", key: ["rowid"]),
        CopiedTable(name: "media_jobs", key: ["rowid"]),
        CopiedTable(name: "audit_events", key: ["sequence"]),
    ]
}
