import Audit
import Foundation
import GRDB

/// How the SQLite engine reads the care-team listing.
extension CareTeamMember: FetchableRecord {
    /// Reads a row of the care-team listing (a `care_team_members` row joined with its provider's email).
    package init(row: Row) throws {
        self.init(
            providerUserID: try row.decode(forColumn: "provider_user_id"),
            providerEmail: try row.decode(forColumn: "email"),
            patientID: try row.decode(forColumn: "patient_id"),
            addedAt: Date(millisecondsSince1970: try row.decode(forColumn: "added_at")),
            addedBy: try row.decode(forColumn: "added_by")
        )
    }
}
