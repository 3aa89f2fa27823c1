import Audit
import GRDB

extension SQLiteDatabase {
    /// Appends one audit row on its own; returns the stored record. Throws if the row cannot be written, and
    /// the caller must then fail the operation it was auditing (DESIGN.md: no audit row, no success).
    ///
    /// Concurrent calls share one write transaction (group commit, see ``AuditGroupCommit``); each returns only
    /// once the transaction holding its row has committed.
    @discardableResult
    package func appendAudit(_ entry: AuditEntry) async throws(PersistenceError) -> AuditRecord {
        do {
            return try await auditAppender.append(entry)
        } catch {
            throw Self.translate(error)
        }
    }

    /// Up to `limit` audit rows after sequence `after` (from the start when nil), in sequence order, for
    /// paging through the trail and exporting it. `limit` is clamped to `1...1000`.
    package func auditEvents(after: Int64?, limit: Int) async throws(PersistenceError) -> [AuditRecord] {
        let limit = min(max(limit, 1), 1000)
        return try await read { db in
            try AuditEventRow.fetchAll(
                db,
                sql: "SELECT * FROM audit_events WHERE sequence > ? ORDER BY sequence LIMIT ?",
                arguments: [after ?? 0, limit]
            ).map(\.record)
        }
    }

    /// Checks the whole audit trail: every row's hash (keyed rows with the audit key) and link, no gap, no unkeyed
    /// row after keying began, no missing tail (against the highest sequence SQLite ever issued, kept in
    /// `sqlite_sequence`), and, with an `anchor`, that the trail still reaches it with the same hash there.
    ///
    /// Rows are streamed through ``AuditChainVerifier`` with a cursor inside one read transaction, so memory
    /// stays flat however long the trail is, and writers are not blocked (WAL).
    package func verifyAuditChain(anchor: AuditAnchor?) async throws(PersistenceError) -> AuditVerification {
        try await auditChainHead(anchor: anchor).verification
    }

    /// ``verifyAuditChain(anchor:)`` and the head it reached, from one snapshot: what `medvault audit anchor` prints
    /// once the chain up to it is proven intact.
    package func auditChainHead(anchor: AuditAnchor?) async throws(PersistenceError) -> (verification: AuditVerification, head: AuditAnchor) {
        let key = auditKey
        return try await read { db in
            var verifier = AuditChainVerifier(key: key, unkeyedThrough: try Self.unkeyedThrough(db), anchor: anchor)
            let rows = try AuditEventRow.fetchCursor(db, sql: "SELECT * FROM audit_events ORDER BY sequence")
            while let row = try rows.next(), verifier.feed(row.record) {}
            return (verifier.finish(highestIssuedSequence: try Self.highestIssuedAuditSequence(db)), verifier.head)
        }
    }

    /// Writes `entry` as the next audit row inside the caller's transaction; see ``appendAudit(_:key:in:)``.
    func appendAudit(_ entry: AuditEntry, in db: Database) throws -> AuditRecord {
        guard let record = try Self.appendAudit([entry], key: auditKey, in: db).first else {
            throw PersistenceError.database.with(cause: "no audit record was written")
        }
        return record
    }

    /// Writes `entries` as the next audit rows, in order, inside the caller's transaction, each sanitised for
    /// storage and sealed with `key`; returns the stored records.
    ///
    /// The chain's head (highest sequence issued, last row's hash) is read once and carried from row to row, and
    /// the statements are cached, so a batch costs little more than its inserts. The next sequence follows the
    /// highest ever issued (not just the highest present), so a deleted tail stays visible as a gap. Runs inside the
    /// pool's single writer, so concurrent appends cannot interleave.
    static func appendAudit(_ entries: [AuditEntry], key: AuditKey, in db: Database) throws -> [AuditRecord] {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1"))
        let lastSequence: Int64 = last?["sequence"] ?? 0
        var sequence = max(lastSequence, try highestIssuedAuditSequence(db))
        var previousHash: String = last?["hash"] ?? AuditChain.genesisHash
        let insert = try db.cachedStatement(sql: AuditEventRow.insertSQL)
        var records: [AuditRecord] = []
        records.reserveCapacity(entries.count)
        for entry in entries {
            sequence += 1
            let record = AuditChain.seal(sequence: sequence, entry: entry.sanitizedForStorage(), previousHash: previousHash, key: key)
            try insert.execute(arguments: AuditEventRow(record).insertArguments)
            previousHash = record.hash
            records.append(record)
        }
        return records
    }

    /// The highest `audit_events.sequence` SQLite ever issued (0 if none), from `sqlite_sequence`.
    static func highestIssuedAuditSequence(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'")) ?? 0
    }

    /// The last sequence that may be unkeyed, recorded when the chain became keyed (migrations/0004_audit_key.sql).
    /// Should the row be missing, none may: removing it only makes verification stricter.
    static func unkeyedThrough(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT min(unkeyed_through) FROM audit_chain_keying") ?? 0
    }
}
