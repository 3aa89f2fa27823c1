import Audit
import Documents
import Foundation
import PostgresNIO

extension CareTeamMember {
    /// Reads a row of `provider_user_id, email, patient_id, added_at, added_by`.
    init(postgresRow row: PostgresRow) throws {
        let (providerText, email, patientID, addedAt, addedBy) = try row.decode((String, String, String, Int64, String?).self)
        guard let providerUserID = UUID(parsing: providerText) else {
            throw PersistenceError.database.with(cause: "care team row with a provider id this version cannot read")
        }
        self.init(
            providerUserID: providerUserID,
            providerEmail: email,
            patientID: patientID,
            addedAt: Date(millisecondsSince1970: addedAt),
            addedBy: addedBy
        )
    }
}
