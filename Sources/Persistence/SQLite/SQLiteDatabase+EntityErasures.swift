import Audit
import Documents
import Foundation
import GRDB

extension SQLiteDatabase {
    /// Marks the entity's rows `missing` after checking no row is held, and counts them and its open uploads.
    package func beginEntityErasure(entityType: EntityType, entityID: String) async throws(PersistenceError) -> EntityErasurePlan {
        try await write { db in
            let entity: StatementArguments = [entityType.rawValue, entityID]
            try Self.refuseHeld(entity, in: db)
            try db.execute(
                sql: "UPDATE documents SET status = 'missing' WHERE entity_type = ? AND entity_id = ? AND status <> 'missing'",
                arguments: entity
            )
            let totals = try Row.fetchOne(
                db,
                sql: "SELECT count(*) AS documents, coalesce(sum(size), 0) AS bytes FROM documents WHERE entity_type = ? AND entity_id = ?",
                arguments: entity
            )
            let uploads = try String.fetchAll(
                db,
                sql: "SELECT id FROM upload_sessions WHERE entity_type = ? AND entity_id = ? AND state IN ('pending', 'verifying') ORDER BY id",
                arguments: entity
            )
            return EntityErasurePlan(
                documents: totals?["documents"] ?? 0,
                bytes: totals?["bytes"] ?? 0,
                openUploads: uploads.compactMap(UUID.init(parsing:))
            )
        }
    }

    /// Deletes the entity's rows (their storage classes and revocations go with them), aborts its open uploads and
    /// appends the audit row.
    package func finishEntityErasure(entityType: EntityType, entityID: String, audit: AuditEntry) async throws(PersistenceError) -> AuditRecord {
        try await write { db in
            let entity: StatementArguments = [entityType.rawValue, entityID]
            try Self.refuseHeld(entity, in: db)
            try db.execute(sql: "DELETE FROM documents WHERE entity_type = ? AND entity_id = ?", arguments: entity)
            try db.execute(
                sql: "UPDATE upload_sessions SET state = 'aborted' WHERE entity_type = ? AND entity_id = ? AND state IN ('pending', 'verifying')",
                arguments: entity
            )
            return try appendAudit(audit, in: db)
        }
    }

    private static func refuseHeld(_ entity: StatementArguments, in db: Database) throws {
        let held = try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM documents WHERE entity_type = ? AND entity_id = ? AND hold_reason IS NOT NULL)",
            arguments: entity
        )
        if held == true { throw PersistenceError.legalHold }
    }
}
