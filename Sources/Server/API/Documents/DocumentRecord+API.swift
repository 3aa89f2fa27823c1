import Documents
import Foundation
import Persistence

extension DocumentRecord {
    /// The id as the API and the audit trail spell it: a lowercase UUID, as stored in SQLite.
    var apiID: String { id.lowercaseText }
}
