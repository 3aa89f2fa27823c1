import Access
import Audit
import Documents
import Foundation
import GRDB

extension SQLiteDatabase {
    /// Puts a provider on a patient's care team and writes `audit`, in one transaction; returns whether the pair
    /// is new.
    ///
    /// Idempotent: adding a pair that exists changes nothing (its original `addedAt` and `addedBy` stay) but is
    /// still audited, because someone asked for it. Throws ``PersistenceError/notFound`` if no user has
    /// `providerUserID`, ``PersistenceError/constraintViolation`` if that user is not a provider.
    @discardableResult
    package func addCareTeamMember(
        providerUserID: UUID,
        patientID: String,
        at date: Date,
        addedBy: String?,
        audit: AuditEntry
    ) async throws(PersistenceError) -> Bool {
        try await write { db in
            guard let provider = try Self.fetchUser(id: providerUserID, in: db) else { throw PersistenceError.notFound }
            guard provider.role == .provider else {
                throw PersistenceError.constraintViolation.with(cause: "care team members must be providers")
            }
            try db.execute(
                sql: """
                    INSERT INTO care_team_members (provider_user_id, patient_id, added_at, added_by) VALUES (?, ?, ?, ?)
                    ON CONFLICT (provider_user_id, patient_id) DO NOTHING
                    """,
                arguments: [providerUserID.lowercaseText, patientID, date.millisecondsSince1970, addedBy]
            )
            let added = db.changesCount > 0
            _ = try appendAudit(audit, in: db)
            return added
        }
    }

    /// Takes a provider off a patient's care team and writes `audit`, in one transaction; returns whether the
    /// pair existed. Audited either way, like ``addCareTeamMember(providerUserID:patientID:at:addedBy:audit:)``.
    @discardableResult
    package func removeCareTeamMember(providerUserID: UUID, patientID: String, audit: AuditEntry) async throws(PersistenceError) -> Bool {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM care_team_members WHERE provider_user_id = ? AND patient_id = ?",
                arguments: [providerUserID.lowercaseText, patientID]
            )
            let removed = db.changesCount > 0
            _ = try appendAudit(audit, in: db)
            return removed
        }
    }

    /// The patient ids on a provider's care team, sorted: what the access policy and restricted listings use.
    package func careTeam(providerUserID: UUID) async throws(PersistenceError) -> [String] {
        try await read { db in
            // Read on every request of a provider (see Authenticator), hence the cached statement.
            try String.fetchAll(
                db.cachedStatement(sql: "SELECT patient_id FROM care_team_members WHERE provider_user_id = ? ORDER BY patient_id"),
                arguments: [providerUserID.lowercaseText]
            )
        }
    }

    /// The provider ids of the providers with `patientID` on their care team, sorted.
    package func careProviders(patientID: String) async throws(PersistenceError) -> [String] {
        try await read { db in
            try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT DISTINCT users.provider_id FROM care_team_members JOIN users ON users.id = care_team_members.provider_user_id
                        WHERE care_team_members.patient_id = ? AND users.provider_id IS NOT NULL ORDER BY users.provider_id
                        """
                ),
                arguments: [patientID]
            )
        }
    }

    /// Every care-team pair with the provider's email, ordered by email then patient id, for the admin API and
    /// `medvault careteam list`.
    package func careTeamMembers() async throws(PersistenceError) -> [CareTeamMember] {
        try await read { db in try CareTeamMember.fetchAll(db, sql: Self.careTeamMembersSQL) }
    }

    /// The query behind ``careTeamMembers()``.
    static let careTeamMembersSQL = """
        SELECT care_team_members.*, users.email FROM care_team_members
        JOIN users ON users.id = care_team_members.provider_user_id
        ORDER BY users.email, care_team_members.patient_id
        """
}
