import Audit
import Foundation

/// Upload intents: the keys an upload may have stored objects under before its document rows exist, so that the
/// objects of an upload that died (a crash, a lost node) can be found and removed by the abandoned-upload sweep.
///
/// The life of an intent: ``recordUploadIntent(key:at:)`` before a file's first byte leaves for storage; then either
/// ``insertUploadedDocuments(_:audit:)`` deletes it with the document row's insert, or the failed request removes its
/// objects and calls ``deleteUploadIntents(keys:)``, or, if nobody is left to do either, the sweep claims it with
/// ``abandonUploadIntents(startedBefore:at:limit:)``, removes the object and deletes it. A claimed intent can no
/// longer commit, so a slow upload and the sweep can never both win, whichever nodes they run on.
package protocol UploadIntents: Sendable {
    /// Records that an upload is about to store an object at `key`. Throws ``PersistenceError/keyConflict`` if an
    /// intent for the key exists (keys carry a fresh UUID, so that is a bug).
    func recordUploadIntent(key: String, at date: Date) async throws(PersistenceError)

    /// Inserts the documents of an upload and their audit rows like ``DocumentIndex/insertDocuments(_:audit:)``, and
    /// settles the upload's intents in the same transaction. Throws ``PersistenceError/uploadAbandoned``, with nothing
    /// written, if a record's intent is missing or the sweep has claimed it.
    func insertUploadedDocuments(_ records: [DocumentRecord], audit: [AuditEntry]) async throws(PersistenceError)

    /// Forgets the intents of `keys`, whose objects the caller has removed (a failed upload, a sweep).
    func deleteUploadIntents(keys: [String]) async throws(PersistenceError)

    /// Claims for removal every intent started before `cutoff` (marking it abandoned at `date`) and returns up to
    /// `limit` claimed keys, oldest first; intents claimed by an earlier sweep that did not finish are returned
    /// again. An intent whose key has a document row is only forgotten, never returned.
    func abandonUploadIntents(startedBefore cutoff: Date, at date: Date, limit: Int) async throws(PersistenceError) -> [String]
}
