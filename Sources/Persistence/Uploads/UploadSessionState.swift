/// Where a direct upload session stands (migration `0008_upload_sessions`); the raw values are what the API's
/// `state` field and the `upload_sessions.state` column hold.
///
/// `pending` until the client asks for completion; `verifying` while medvault checks what arrived (a verification
/// that dies half-way leaves it there, and completing again redoes the checks); then one of the final states.
package enum UploadSessionState: String, Sendable, Codable, CaseIterable {
    case pending
    case verifying
    case accepted
    case rejected
    case expired
    case aborted

    /// Whether the session can still change: only open sessions take parts, complete, abort or expire.
    package var isOpen: Bool { self == .pending || self == .verifying }
}
