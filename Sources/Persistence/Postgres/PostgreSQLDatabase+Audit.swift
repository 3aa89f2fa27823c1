import Audit
import Logging
import PostgresNIO

extension PostgreSQLDatabase {
    /// Appends one audit row on its own; concurrent calls of this node share one transaction (group commit), and
    /// every node's transactions queue on the chain head, so all of them extend one chain.
    @discardableResult
    package func appendAudit(_ entry: AuditEntry) async throws(PersistenceError) -> AuditRecord {
        do {
            return try await auditAppender.append(entry)
        } catch {
            throw Self.translate(error)
        }
    }

    /// Up to `limit` audit rows after sequence `after` (from the start when nil), in sequence order; `limit` is
    /// clamped to `1...1000`.
    package func auditEvents(after: Int64?, limit: Int) async throws(PersistenceError) -> [AuditRecord] {
        let limit = min(max(limit, 1), 1000)
        let after = after ?? 0
        let logger = logger
        return try await read { connection in
            var records: [AuditRecord] = []
            let rows = try await connection.query(
                "SELECT \(unescaped: AuditRecord.postgresColumns) FROM audit_events WHERE sequence > \(after) ORDER BY sequence LIMIT \(limit)",
                logger: logger
            )
            for try await row in rows {
                records.append(try AuditRecord(postgresRow: row.makeRandomAccess()))
            }
            return records
        }
    }

    /// Checks the whole audit trail: every row's hash (keyed rows with the audit key) and link, no gap, no unkeyed
    /// row after keying began, no missing tail (against the chain head's highest sequence issued), and, with an
    /// `anchor`, that the trail still reaches it with the same hash there.
    package func verifyAuditChain(anchor: AuditAnchor?) async throws(PersistenceError) -> AuditVerification {
        try await auditChainHead(anchor: anchor).verification
    }

    /// ``verifyAuditChain(anchor:)`` and the head it reached, from one snapshot: rows stream through
    /// ``AuditChainVerifier`` as the server sends them, so memory stays flat however long the trail is, and writers
    /// are not blocked.
    package func auditChainHead(anchor: AuditAnchor?) async throws(PersistenceError) -> (verification: AuditVerification, head: AuditAnchor) {
        let logger = logger
        let key = auditKey
        return try await snapshot { connection in
            // The counters are read first: the snapshot is taken by the first statement, and every read then sees the
            // same moment. A missing keying row allows no unkeyed row at all, which only makes verification stricter.
            let counters = try await connection.query(
                """
                SELECT coalesce((SELECT highest_sequence FROM audit_chain_head), 0),
                    coalesce((SELECT min(unkeyed_through) FROM audit_chain_keying), 0)
                """,
                logger: logger
            ).first()
            let (highestIssued, unkeyedThrough) = try counters?.decode((Int64, Int64).self) ?? (Int64(0), Int64(0))
            var verifier = AuditChainVerifier(key: key, unkeyedThrough: unkeyedThrough, anchor: anchor)
            let rows = try await connection.query(
                "SELECT \(unescaped: AuditRecord.postgresColumns) FROM audit_events ORDER BY sequence",
                logger: logger
            )
            for try await row in rows {
                guard verifier.feed(try AuditRecord(postgresRow: row.makeRandomAccess())) else { break }
            }
            return (verifier.finish(highestIssuedSequence: highestIssued), verifier.head)
        }
    }

    /// Writes `entries` as the next audit rows inside the caller's transaction, sealed with this database's key.
    func appendAudit(_ entries: [AuditEntry], on connection: PostgresConnection) async throws -> [AuditRecord] {
        try await Self.appendAudit(entries, key: auditKey, on: connection, logger: logger)
    }

    /// Writes `entries` as the next audit rows, in order, inside the caller's transaction on `connection`, each sealed
    /// with `key`, and returns the stored records.
    ///
    /// The chain head is locked first (`FOR UPDATE`) and stays locked until the transaction ends, so appends from
    /// every connection of every node queue here and each sees the rows of the one before it: no two rows share a
    /// sequence or a predecessor. Sequences continue from the highest ever issued (kept in the head), so a
    /// deleted tail stays visible as a gap, and a transaction that rolls back takes its numbers with it.
    static func appendAudit(_ entries: [AuditEntry], key: AuditKey, on connection: PostgresConnection, logger: Logger) async throws -> [AuditRecord] {
        guard !entries.isEmpty else { return [] }
        let highestIssued =
            try await connection.query("SELECT highest_sequence FROM audit_chain_head FOR UPDATE", logger: logger)
            .decodeAll(Int64.self).first ?? 0
        let last = try await connection.query("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1", logger: logger).first()
        let (lastSequence, lastHash) = try last?.decode((Int64, String).self) ?? (Int64(0), AuditChain.genesisHash)
        var sequence = max(lastSequence, highestIssued)
        var previousHash = lastHash
        var records: [AuditRecord] = []
        records.reserveCapacity(entries.count)
        var insert = PostgresStatement("INSERT INTO audit_events (\(AuditRecord.postgresColumns)) VALUES ")
        for (index, entry) in entries.enumerated() {
            sequence += 1
            let record = AuditChain.seal(sequence: sequence, entry: entry.sanitizedForStorage(), previousHash: previousHash, key: key)
            insert.append((index == 0 ? "" : ", ") + record.appendPostgresValues(to: &insert))
            previousHash = record.hash
            records.append(record)
        }
        try await connection.query(insert.query, logger: logger)
        try await connection.query("UPDATE audit_chain_head SET highest_sequence = \(sequence)", logger: logger)
        return records
    }
}
