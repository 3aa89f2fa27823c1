/// What clamd concluded about a complete stream of bytes.
///
/// A scan that did not reach a conclusion is not a verdict: it throws ``ScanError``, and callers fail closed.
package enum ScanVerdict: Sendable, Hashable {
    /// clamd scanned every byte and matched no signature (`stream: OK`).
    case clean
    /// clamd matched a signature (`stream: NAME FOUND`); `signature` is its name, e.g. `Win.Test.EICAR_HDB-1`.
    /// - important: the name says what the file contains; it belongs in the audit trail, not in logs.
    case infected(signature: String)
}
