import Audit
import Foundation
import GRDB

/// The mapping between an ``AuditRecord`` and a row of `audit_events`, column by column.
///
/// Written by hand rather than derived from `Codable` so that what is stored is exactly what
/// ``AuditChain`` hashed: instants as integer milliseconds, booleans as 0/1, text verbatim.
struct AuditEventRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "audit_events"

    var record: AuditRecord

    init(_ record: AuditRecord) {
        self.record = record
    }

    init(row: Row) throws {
        let actionName: String = try row.decode(forColumn: "action")
        let outcomeName: String = try row.decode(forColumn: "outcome")
        guard let action = AuditAction(rawValue: actionName), let outcome = AuditOutcome(rawValue: outcomeName) else {
            throw PersistenceError.database.with(cause: "audit row with an action or outcome unknown to this version")
        }
        let occurredAt: Int64 = try row.decode(forColumn: "occurred_at")
        let breakGlass: Int64 = try row.decode(forColumn: "break_glass")
        let entry = AuditEntry(
            occurredAt: Date(millisecondsSince1970: occurredAt),
            action: action,
            outcome: outcome,
            httpStatus: try row.decode(forColumn: "http_status"),
            errorCode: try row.decode(forColumn: "error_code"),
            documentID: try row.decode(forColumn: "document_id"),
            documentKey: try row.decode(forColumn: "document_key"),
            patientID: try row.decode(forColumn: "patient_id"),
            actorID: try row.decode(forColumn: "actor_id"),
            actorRole: try row.decode(forColumn: "actor_role"),
            breakGlass: breakGlass != 0,
            reason: try row.decode(forColumn: "reason"),
            clientAddress: try row.decode(forColumn: "client_address"),
            userAgent: try row.decode(forColumn: "user_agent"),
            requestID: try row.decode(forColumn: "request_id"),
            detail: try row.decode(forColumn: "detail")
        )
        let versionNumber: Int64 = try row.decode(forColumn: "chain_version")
        guard let version = AuditChainVersion(rawValue: versionNumber) else {
            throw PersistenceError.database.with(cause: "audit row with a chain version unknown to this version")
        }
        record = AuditRecord(
            sequence: try row.decode(forColumn: "sequence"),
            entry: entry,
            previousHash: try row.decode(forColumn: "previous_hash"),
            hash: try row.decode(forColumn: "hash"),
            version: version
        )
    }

    /// The INSERT that ``insertArguments`` fills, column for column as ``encode(to:)`` writes them; used with a
    /// cached statement on the audit hot path, where GRDB's generic insert costs more than the row itself.
    static let insertSQL = """
        INSERT INTO audit_events (sequence, occurred_at, action, outcome, http_status, error_code, document_id,
            document_key, patient_id, actor_id, actor_role, break_glass, reason, client_address, user_agent, request_id,
            detail, previous_hash, hash, chain_version)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The values of ``insertSQL``, in its column order.
    var insertArguments: StatementArguments {
        let entry = record.entry
        return [
            record.sequence, entry.occurredAt.millisecondsSince1970, entry.action.rawValue, entry.outcome.rawValue,
            entry.httpStatus, entry.errorCode, entry.documentID, entry.documentKey, entry.patientID, entry.actorID, entry.actorRole,
            entry.breakGlass ? 1 : 0, entry.reason, entry.clientAddress, entry.userAgent, entry.requestID, entry.detail,
            record.previousHash, record.hash, record.version.rawValue,
        ]
    }

    func encode(to container: inout PersistenceContainer) {
        let entry = record.entry
        container["sequence"] = record.sequence
        container["occurred_at"] = entry.occurredAt.millisecondsSince1970
        container["action"] = entry.action.rawValue
        container["outcome"] = entry.outcome.rawValue
        container["http_status"] = entry.httpStatus
        container["error_code"] = entry.errorCode
        container["document_id"] = entry.documentID
        container["document_key"] = entry.documentKey
        container["patient_id"] = entry.patientID
        container["actor_id"] = entry.actorID
        container["actor_role"] = entry.actorRole
        container["break_glass"] = entry.breakGlass ? 1 : 0
        container["reason"] = entry.reason
        container["client_address"] = entry.clientAddress
        container["user_agent"] = entry.userAgent
        container["request_id"] = entry.requestID
        container["detail"] = entry.detail
        container["previous_hash"] = record.previousHash
        container["hash"] = record.hash
        container["chain_version"] = record.version.rawValue
    }
}
