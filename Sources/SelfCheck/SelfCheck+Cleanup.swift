import Logging
import ObjectStorage

extension SelfCheck {
    /// (10) Deletes everything this run wrote (what its prefix lists, and every key it remembers writing), then
    /// lists the prefix again: nothing may be left.
    func checkCleanup(_ store: any ObjectStore, run: SelfCheckRun, logger: Logger) async throws(SelfCheckFailure) -> String {
        let before = try await attempt("Listing \(run.prefix)") {
            try await store.list(prefix: run.prefix, continuationToken: nil, maxKeys: 1000, logger: logger)
        }
        let keys = run.writtenKeys.union(before.objects.map(\.key))
        for key in keys.sorted() {
            try await attempt("Deleting a self-check object") { try await store.delete(key: key, logger: logger) }
        }
        let after = try await attempt("Listing \(run.prefix) after deleting") {
            try await store.list(prefix: run.prefix, continuationToken: nil, maxKeys: 1000, logger: logger)
        }
        guard after.objects.isEmpty else {
            throw SelfCheckFailure("\(after.objects.count) objects are still listed under \(run.prefix) after deleting them.")
        }
        run.writtenKeys = []
        let count = before.objects.count == 1 ? "the 1 object" : "the \(before.objects.count) objects"
        return "Removed \(count) left by the checks; nothing is listed under \(run.prefix) any more."
    }
}
