import Access
import Audit
import Documents
import Foundation
import PostgresNIO

extension PostgreSQLDatabase {
    /// Puts a provider on a patient's care team and writes `audit`, in one transaction; returns whether the pair
    /// is new. The provider's row is read `FOR SHARE`, so its role cannot change before the pair commits.
    @discardableResult
    package func addCareTeamMember(
        providerUserID: UUID,
        patientID: String,
        at date: Date,
        addedBy: String?,
        audit: AuditEntry
    ) async throws(PersistenceError) -> Bool {
        let logger = logger
        return try await write { connection in
            guard
                let provider = try await Self.fetchUser(
                    "SELECT \(unescaped: UserRecord.postgresColumns()) FROM users WHERE id = \(providerUserID.lowercaseText) FOR SHARE",
                    on: connection,
                    logger: logger
                )
            else { throw PersistenceError.notFound }
            guard provider.role == .provider else {
                throw PersistenceError.constraintViolation.with(cause: "care team members must be providers")
            }
            let added =
                try await connection.query(
                    """
                    INSERT INTO care_team_members (provider_user_id, patient_id, added_at, added_by)
                    VALUES (\(providerUserID.lowercaseText), \(patientID), \(date.millisecondsSince1970), \(addedBy))
                    ON CONFLICT (provider_user_id, patient_id) DO NOTHING RETURNING 1
                    """,
                    logger: logger
                ).first() != nil
            _ = try await appendAudit([audit], on: connection)
            return added
        }
    }

    /// Takes a provider off a patient's care team and writes `audit`, in one transaction; returns whether the pair
    /// existed.
    @discardableResult
    package func removeCareTeamMember(providerUserID: UUID, patientID: String, audit: AuditEntry) async throws(PersistenceError) -> Bool {
        let logger = logger
        return try await write { connection in
            let removed =
                try await connection.query(
                    """
                    DELETE FROM care_team_members WHERE provider_user_id = \(providerUserID.lowercaseText) AND patient_id = \(patientID)
                    RETURNING 1
                    """,
                    logger: logger
                ).first() != nil
            _ = try await appendAudit([audit], on: connection)
            return removed
        }
    }

    /// The patient ids on a provider's care team, sorted bytewise.
    package func careTeam(providerUserID: UUID) async throws(PersistenceError) -> [String] {
        let logger = logger
        return try await read { connection in
            try await connection.query(
                "SELECT patient_id FROM care_team_members WHERE provider_user_id = \(providerUserID.lowercaseText) ORDER BY patient_id",
                logger: logger
            ).decodeAll(String.self)
        }
    }

    /// The provider ids of the providers with `patientID` on their care team, sorted bytewise.
    package func careProviders(patientID: String) async throws(PersistenceError) -> [String] {
        let logger = logger
        return try await read { connection in
            try await connection.query(
                """
                SELECT DISTINCT u.provider_id COLLATE "C" AS provider_id FROM care_team_members m JOIN users u ON u.id = m.provider_user_id
                WHERE m.patient_id = \(patientID) AND u.provider_id IS NOT NULL ORDER BY 1
                """,
                logger: logger
            ).decodeAll(String.self)
        }
    }

    /// Every care-team pair with the provider's email, ordered by email then patient id.
    package func careTeamMembers() async throws(PersistenceError) -> [CareTeamMember] {
        let logger = logger
        return try await read { connection in
            var members: [CareTeamMember] = []
            let rows = try await connection.query(
                """
                SELECT m.provider_user_id, u.email, m.patient_id, m.added_at, m.added_by FROM care_team_members m
                JOIN users u ON u.id = m.provider_user_id ORDER BY u.email, m.patient_id
                """,
                logger: logger
            )
            for try await row in rows {
                members.append(try CareTeamMember(postgresRow: row))
            }
            return members
        }
    }
}
