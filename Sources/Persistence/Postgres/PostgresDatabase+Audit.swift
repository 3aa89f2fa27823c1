import Audit
import Logging
import PostgresNIO

extension PostgresDatabase {
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

    /// Checks the whole audit trail against the chain head, in one snapshot: rows stream through
    /// ``AuditChainVerifier`` as the server sends them, so memory stays flat however long the trail is, and
    /// writers are not blocked.
    package func verifyAuditChain() async throws(PersistenceError) -> AuditVerification {
        let logger = logger
        return try await snapshot { connection in
            // The head is read first: the snapshot is taken by the first statement, and both then see one moment.
            let highestIssued =
                try await connection.query("SELECT highest_sequence FROM audit_chain_head", logger: logger)
                .decodeAll(Int64.self).first ?? 0
            var verifier = AuditChainVerifier()
            let rows = try await connection.query(
                "SELECT \(unescaped: AuditRecord.postgresColumns) FROM audit_events ORDER BY sequence",
                logger: logger
            )
            for try await row in rows {
                guard verifier.feed(try AuditRecord(postgresRow: row.makeRandomAccess())) else { break }
            }
            return verifier.finish(highestIssuedSequence: highestIssued)
        }
    }

    /// Writes `entries` as the next audit rows, in order, inside the caller's transaction on `connection`, and
    /// returns the stored records.
    ///
    /// The chain head is locked first (`FOR UPDATE`) and stays locked until the transaction ends, so appends from
    /// every connection of every node queue here and each sees the rows of the one before it: no two rows share a
    /// sequence or a predecessor. Sequences continue from the highest ever issued (kept in the head), so a
    /// deleted tail stays visible as a gap, and a transaction that rolls back takes its numbers with it.
    static func appendAudit(_ entries: [AuditEntry], on connection: PostgresConnection, logger: Logger) async throws -> [AuditRecord] {
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
            let record = AuditChain.seal(sequence: sequence, entry: entry.sanitizedForStorage(), previousHash: previousHash)
            insert.append((index == 0 ? "" : ", ") + record.appendPostgresValues(to: &insert))
            previousHash = record.hash
            records.append(record)
        }
        try await connection.query(insert.query, logger: logger)
        try await connection.query("UPDATE audit_chain_head SET highest_sequence = \(sequence)", logger: logger)
        return records
    }
}
