import Audit
import Documents
import Foundation
import PostgresNIO

extension PostgreSQLDatabase {
    /// Locks the entity's rows, marks them `missing` after checking none is held, and counts them and its open uploads.
    package func beginEntityErasure(entityType: EntityType, entityID: String) async throws(PersistenceError) -> EntityErasurePlan {
        let logger = logger
        let type = entityType.rawValue
        return try await write { connection in
            try await Self.refuseHeld(type: type, id: entityID, on: connection, logger: logger)
            try await connection.query(
                "UPDATE documents SET status = 'missing' WHERE entity_type = \(type) AND entity_id = \(entityID) AND status <> 'missing'",
                logger: logger
            )
            var plan = EntityErasurePlan(documents: 0, bytes: 0, openUploads: [])
            let totals = try await connection.query(
                "SELECT count(*)::bigint, coalesce(sum(size), 0)::bigint FROM documents WHERE entity_type = \(type) AND entity_id = \(entityID)",
                logger: logger
            )
            for try await (count, bytes) in totals.decode((Int64, Int64).self) {
                plan.documents = Int(count)
                plan.bytes = bytes
            }
            let uploads = try await connection.query(
                """
                SELECT id FROM upload_sessions WHERE entity_type = \(type) AND entity_id = \(entityID)
                    AND state IN ('pending', 'verifying') ORDER BY id
                """,
                logger: logger
            )
            for try await id in uploads.decode(String.self) {
                if let uuid = UUID(parsing: id) { plan.openUploads.append(uuid) }
            }
            return plan
        }
    }

    /// Deletes the entity's rows (their storage classes and revocations go with them), aborts its open uploads and
    /// appends the audit row.
    package func finishEntityErasure(entityType: EntityType, entityID: String, audit: AuditEntry) async throws(PersistenceError) -> AuditRecord {
        let logger = logger
        let type = entityType.rawValue
        return try await write { connection in
            try await Self.refuseHeld(type: type, id: entityID, on: connection, logger: logger)
            try await connection.query("DELETE FROM documents WHERE entity_type = \(type) AND entity_id = \(entityID)", logger: logger)
            try await connection.query(
                """
                UPDATE upload_sessions SET state = 'aborted' WHERE entity_type = \(type) AND entity_id = \(entityID)
                    AND state IN ('pending', 'verifying')
                """,
                logger: logger
            )
            return try await self.appendAudit([audit], on: connection)[0]
        }
    }

    /// Locks the entity's rows (so no hold lands between the check and the change) and refuses if any is held.
    private static func refuseHeld(type: String, id: String, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            "SELECT hold_reason IS NOT NULL FROM documents WHERE entity_type = \(type) AND entity_id = \(id) FOR UPDATE",
            logger: logger
        )
        for try await held in rows.decode(Bool.self) where held { throw PersistenceError.legalHold }
    }
}
