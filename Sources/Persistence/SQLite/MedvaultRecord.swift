import Audit
import Foundation
import GRDB

/// A GRDB record stored with medvault's column conventions (migrations/0001_initial.sql): ids as lowercase UUID
/// text, instants as integer milliseconds since 1970.
///
/// Adopting it is the whole job: the strategies below replace GRDB's defaults (16-byte UUID blobs, ISO text
/// dates), so every table reads the same way in the `sqlite3` shell and in exports, and a stored date reads back
/// equal to the millisecond.
package protocol MedvaultRecord: Codable, FetchableRecord, PersistableRecord {}

extension MedvaultRecord {
    /// Ids are stored as lowercase UUID text, readable in the `sqlite3` shell and in exports.
    package static func databaseUUIDEncodingStrategy(for column: String) -> DatabaseUUIDEncodingStrategy { .lowercaseString }

    /// Instants are stored as integer milliseconds, rounded so that a stored date reads back identical.
    package static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { $0.millisecondsSince1970 }
    }

    /// The inverse of ``databaseDateEncodingStrategy(for:)``.
    package static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .millisecondsSince1970 }
}
