/// What an audited request tried to do.
///
/// The raw values are what `audit_events.action` stores and what the chain hash covers, so they are a
/// contract: never rename one, only add. Names are `area.verb`.
package enum AuditAction: String, CaseIterable, Sendable, Codable {
    /// A file was uploaded (one row per file of a multipart upload).
    case documentUpload = "document.upload"
    /// A document's bytes were streamed to the client.
    case documentDownload = "document.download"
    /// A pre-signed URL was handed out, which grants access without further checks until it expires.
    case documentPresign = "document.presign"
    /// A fetch through one of the local store's own pre-signed URLs (S3 fetches never reach medvault).
    case documentPresignedFetch = "document.presigned_fetch"
    /// A listing or search was requested; listings reveal file names, so they are audited too.
    case documentList = "document.list"
    /// A document was soft-deleted into `archived/`.
    case documentArchive = "document.archive"
    /// A document was removed permanently.
    case documentDelete = "document.delete"
    /// Storage statistics were read.
    case storageStats = "storage.stats"
    /// The storage configuration was read.
    case storageConfig = "storage.config"
    /// The self-check page exercised the storage backend.
    case storageSelftest = "storage.selftest"
    /// A password sign-in: `success`, or `denied` for a wrong password, an unknown email, a disabled or locked account.
    case authSignIn = "auth.sign_in"
    /// A browser session was ended by its user.
    case authSignOut = "auth.sign_out"
    /// Repeated failed sign-ins locked an account for a while.
    case authLockout = "auth.lockout"
    /// A session was ended for being idle too long (automatic logoff, HIPAA 164.312(a)(2)(iii)).
    case authSessionExpired = "auth.session_expired"
    /// A bearer token was issued for a user (`medvault token issue`).
    case authTokenIssue = "auth.token_issue"
    /// A user account was created.
    case userCreate = "user.create"
    /// A user account was disabled, which also ends its sessions.
    case userDisable = "user.disable"
    /// A user's password was set or changed.
    case userPasswordSet = "user.password_set"
    /// A provider was added to a patient's care team.
    case careTeamAdd = "careteam.add"
    /// A provider was removed from a patient's care team.
    case careTeamRemove = "careteam.remove"
    /// The audit trail was queried.
    case auditQuery = "audit.query"
    /// The audit trail was exported (JSON Lines or FHIR).
    case auditExport = "audit.export"
    /// The list of user accounts was read.
    case userList = "user.list"
    /// The care teams were read.
    case careTeamList = "careteam.list"
    /// A direct upload session was opened: pre-signed URLs were handed out for bytes that go straight to storage.
    case uploadCreate = "upload.create"
    /// A direct upload session was completed: what arrived was verified, then accepted or refused.
    case uploadComplete = "upload.complete"
    /// A direct upload session's state was read (to resume it); the answer carries fresh upload URLs.
    case uploadStatus = "upload.status"
    /// A direct upload session was aborted by its user (or an admin) and what it staged was removed.
    case uploadAbort = "upload.abort"
    /// An archived document was moved back to its original key.
    case documentRestore = "document.restore"
    /// A legal hold was placed on a document (or its reason replaced); the row's reason is the hold's.
    case documentHold = "document.hold"
    /// A document's legal hold was released.
    case documentHoldRelease = "document.hold_release"
    /// Every pre-signed URL issued for a document until then was revoked (on S3, by moving it to a fresh key).
    case documentRevoke = "document.revoke"
    /// A file was brought in by `medvault import` (or refused by its checks); the row names its document, or the
    /// refusal's code.
    case documentImport = "document.import"
    /// The index was compared with the store; the row's detail carries the counts of what was compared and found.
    case reconcileRun = "reconcile.run"
    /// A lifecycle rule removed a `temp/` upload past `MEDVAULT_TEMP_RETENTION_DAYS`.
    case lifecycleExpire = "lifecycle.expire"
    /// A lifecycle rule moved an active document to `MEDVAULT_ARCHIVE_STORAGE_CLASS`; the detail names the class.
    case lifecycleTransition = "lifecycle.transition"
    /// A lifecycle rule erased an archived document past `MEDVAULT_ARCHIVED_RETENTION_DAYS`.
    case lifecycleErase = "lifecycle.erase"
    /// Every document of one entity was exported as a ZIP archive (API or CLI); the detail carries the document count.
    case entityExport = "entity.export"
    /// `medvault reconcile --fix` deleted an object that no row knew of and that was older than the grace.
    case reconcileDeleteOrphan = "reconcile.delete_orphan"
    /// `medvault reconcile --fix` marked a document `missing`: its row was kept, its object was gone.
    case reconcileMarkMissing = "reconcile.mark_missing"
    /// Every document of an entity was erased for good (objects, versions, pending uploads, rows); the detail carries
    /// the counts, never file names.
    case entityErase = "entity.erase"
    /// An appointment became known (API or CLI): its two participants may now see its chat images. Re-adding it with
    /// the same participants is audited too; the detail names the provider id, never the patient's.
    case appointmentAdd = "appointment.add"
}
