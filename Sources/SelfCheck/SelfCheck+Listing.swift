import Logging
import ObjectStorage

extension SelfCheck {
    /// (7) Listing this run's prefix finds the sample object, and its metadata (HEAD) has the size and content type
    /// it was written with.
    func checkListing(_ store: any ObjectStore, run: SelfCheckRun, logger: Logger) async throws(SelfCheckFailure) -> String {
        let sample = try await sample(in: store, run: run, logger: logger)
        let listing = try await attempt("Listing \(run.prefix)") {
            try await store.list(prefix: run.prefix, continuationToken: nil, maxKeys: 100, logger: logger)
        }
        guard let listed = listing.objects.first(where: { $0.key == sample.key }) else {
            throw SelfCheckFailure("Listing \(run.prefix) returned \(listing.objects.count) objects but not the sample object.")
        }
        let info = try await attempt("Reading the metadata") { try await store.head(key: sample.key, logger: logger) }
        guard info.size == Int64(sample.bytes.count), listed.size == info.size else {
            throw SelfCheckFailure("The metadata says \(info.size) bytes (listing: \(listed.size)); \(sample.bytes.count) were written.")
        }
        guard info.contentType == sample.contentType else {
            throw SelfCheckFailure("The metadata says content type \(info.contentType ?? "none"); \(sample.contentType) was written.")
        }
        return "Listing \(run.prefix) found the sample object among \(listing.objects.count); "
            + "HEAD reports \(info.size) bytes, \(sample.contentType), ETag \(info.etag)."
    }
}
