import Foundation

/// The statements of the media job queue that read the same on SQLite and PostgreSQL (with `?` placeholders; the
/// PostgreSQL engine numbers them), so the two engines cannot drift apart on what "ready" or "failed" means.
enum MediaJobSQL {
    /// Marks failed the running jobs whose lease expired on their last attempt. Arguments: now, now, max attempts.
    static let failExpired = """
        UPDATE media_jobs SET state = 'failed', owner = NULL, updated_at = ?
        WHERE state = 'running' AND lease_until <= ? AND attempts >= ?
        """

    /// The condition of a job a worker may claim. Arguments: now, now.
    static let ready = """
        ((state = 'pending' AND (lease_until IS NULL OR lease_until <= ?)) OR (state = 'running' AND lease_until <= ?))
        """

    /// Marks a job done if its owner still holds it. Arguments: now, document id, kind, owner.
    static let complete = """
        UPDATE media_jobs SET state = 'done', owner = NULL, lease_until = NULL, updated_at = ?
        WHERE document_id = ? AND kind = ? AND owner = ? AND state = 'running'
        """

    /// Gives a job back after a failed attempt if its owner still holds it, returning its new state. Arguments: max
    /// attempts, retry instant, now, document id, kind, owner.
    static let fail = """
        UPDATE media_jobs SET state = CASE WHEN attempts >= ? THEN 'failed' ELSE 'pending' END, owner = NULL, lease_until = ?,
        updated_at = ? WHERE document_id = ? AND kind = ? AND owner = ? AND state = 'running' RETURNING state
        """

    /// `sql` with its `?` placeholders numbered `$1`, `$2`, … for PostgreSQL (none of these statements has a `?`
    /// anywhere else).
    static func numbered(_ sql: String) -> String {
        var index = 0
        return sql.reduce(into: "") { text, character in
            guard character == "?" else { return text.append(character) }
            index += 1
            text += "$\(index)"
        }
    }
}

extension MediaJob {
    /// A job from its columns (document id, kind, state, attempts, owner); nil for a value the schema would refuse.
    init?(row: (String, String, String, Int, String?)) {
        guard let id = UUID(uuidString: row.0), let kind = MediaJobKind(rawValue: row.1), let state = MediaJobState(rawValue: row.2) else {
            return nil
        }
        self.init(documentID: id, kind: kind, state: state, attempts: row.3, owner: row.4)
    }
}
