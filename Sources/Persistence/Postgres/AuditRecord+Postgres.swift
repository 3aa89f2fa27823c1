import Audit
import Documents
import Foundation
import PostgresNIO

extension AuditRecord {
    /// The columns of `audit_events` in the order ``init(postgresRow:)`` reads them and ``appendPostgresValues(to:)``
    /// binds them.
    static let postgresColumns = """
        sequence, occurred_at, action, outcome, http_status, error_code, document_id, document_key, patient_id, actor_id, \
        actor_role, break_glass, reason, client_address, user_agent, request_id, detail, previous_hash, hash, chain_version
        """

    /// How many columns ``postgresColumns`` names.
    static let postgresColumnCount = 20

    /// Reads a row selected with ``postgresColumns``, exactly as stored, so its hash can be recomputed.
    init(postgresRow row: PostgresRandomAccessRow) throws {
        let actionName = try row[2].decode(String.self)
        let outcomeName = try row[3].decode(String.self)
        guard let action = AuditAction(rawValue: actionName), let outcome = AuditOutcome(rawValue: outcomeName),
            let version = AuditChainVersion(rawValue: Int64(try row[19].decode(Int.self)))
        else {
            throw PersistenceError.database.with(cause: "audit row with an action, outcome or chain version unknown to this version")
        }
        let entry = AuditEntry(
            occurredAt: Date(millisecondsSince1970: try row[1].decode(Int64.self)),
            action: action,
            outcome: outcome,
            httpStatus: try row[4].decode(Int?.self),
            errorCode: try row[5].decode(String?.self),
            documentID: try row[6].decode(String?.self),
            documentKey: try row[7].decode(String?.self),
            patientID: try row[8].decode(String?.self),
            actorID: try row[9].decode(String?.self),
            actorRole: try row[10].decode(String?.self),
            breakGlass: try row[11].decode(Bool.self),
            reason: try row[12].decode(String?.self),
            clientAddress: try row[13].decode(String?.self),
            userAgent: try row[14].decode(String?.self),
            requestID: try row[15].decode(String.self),
            detail: try row[16].decode(String?.self)
        )
        self.init(
            sequence: try row[0].decode(Int64.self),
            entry: entry,
            previousHash: try row[17].decode(String.self),
            hash: try row[18].decode(String.self),
            version: version
        )
    }

    /// Binds this record's values in the order of ``postgresColumns`` and returns their placeholders, for one row
    /// of a multi-row `INSERT`.
    func appendPostgresValues(to statement: inout PostgresStatement) -> String {
        let placeholders = [
            statement.bind(sequence), statement.bind(entry.occurredAt.millisecondsSince1970), statement.bind(entry.action.rawValue),
            statement.bind(entry.outcome.rawValue), statement.bind(entry.httpStatus), statement.bind(entry.errorCode),
            statement.bind(entry.documentID), statement.bind(entry.documentKey), statement.bind(entry.patientID),
            statement.bind(entry.actorID), statement.bind(entry.actorRole), statement.bind(entry.breakGlass),
            statement.bind(entry.reason), statement.bind(entry.clientAddress), statement.bind(entry.userAgent),
            statement.bind(entry.requestID), statement.bind(entry.detail), statement.bind(previousHash), statement.bind(hash),
            statement.bind(Int(version.rawValue)),
        ]
        return "(" + placeholders.joined(separator: ", ") + ")"
    }
}
