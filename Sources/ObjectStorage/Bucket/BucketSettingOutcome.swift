/// What `bucket setup` or `bucket check` found for one ``BucketSetting`` of one bucket.
package enum BucketSettingOutcome: Sendable, Equatable {
    /// `setup` wrote it; the summary says what.
    case applied(String)
    /// `check` read it back and it is what `setup` writes.
    case matches(String)
    /// `check` read it back and it differs, one sentence per difference.
    case drifted([String])
    /// The server does not implement the sub-resource's API (`501 NotImplemented`): nothing to set or compare. Kept
    /// apart from success so that nobody mistakes it for a bucket that is configured.
    case notSupported
    /// The call failed (denied, unreachable, a malformed answer); the message is safe to print.
    case failed(String)

    /// The text after the setting's name: `applied: …`, `ok: …`, `DRIFT: …`, `not supported by this server`, `FAILED: …`.
    package var text: String {
        switch self {
        case .applied(let summary): "applied: \(summary)"
        case .matches(let summary): "ok: \(summary)"
        case .drifted(let differences): "DRIFT: \(differences.joined(separator: "; "))"
        case .notSupported: "not supported by this server"
        case .failed(let message): "FAILED: \(message)"
        }
    }

    /// Whether the command exits 1 for it: a failed call, or drift. A setting the server does not support is not
    /// drift: no `setup` could have set it, and a check that always failed on such a server could gate nothing.
    package var isProblem: Bool {
        switch self {
        case .drifted, .failed: true
        case .applied, .matches, .notSupported: false
        }
    }
}
