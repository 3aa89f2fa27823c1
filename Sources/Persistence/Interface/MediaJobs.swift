import Foundation

/// The durable queue of background work on stored videos (poster frames, phone transcodes), shared by every node.
///
/// A job is enqueued when its video is stored and lives until it is done or has used up its attempts. A
/// worker claims one job at a time with ``claimMediaJob(owner:at:lease:maxAttempts:)``, which marks it running for
/// the caller in one atomic step, so no two workers, on one node or several, ever run the same job at once; a worker
/// that dies leaves its job to be claimed again when its lease expires.
package protocol MediaJobs: Sendable {
    /// Enqueues a pending job of each of `kinds` for the document; a job that exists already is left as it is.
    /// Throws ``PersistenceError/constraintViolation`` if there is no such document.
    func enqueueMediaJobs(documentID: UUID, kinds: [MediaJobKind], at date: Date) async throws(PersistenceError)

    /// Claims the oldest job that is ready (pending and past its back-off, or running with its lease expired): marks
    /// it running for `owner` until `date + lease` and counts the attempt. Returns nil when no job is ready. A job
    /// whose lease expired on its last attempt is marked failed instead of being claimed.
    func claimMediaJob(owner: String, at date: Date, lease: TimeInterval, maxAttempts: Int) async throws(PersistenceError) -> MediaJob?

    /// Marks the job done, if `job.owner` still holds it (a worker whose lease expired changes nothing).
    func completeMediaJob(_ job: MediaJob, at date: Date) async throws(PersistenceError)

    /// Gives the job back after a failed attempt, if `job.owner` still holds it: pending again until `retryAt`, or
    /// failed for good once it has had `maxAttempts` attempts. Returns the state it is left in.
    @discardableResult
    func failMediaJob(_ job: MediaJob, retryAt: Date, at date: Date, maxAttempts: Int) async throws(PersistenceError) -> MediaJobState

    /// The document's jobs, by kind.
    func mediaJobs(documentID: UUID) async throws(PersistenceError) -> [MediaJob]
}
