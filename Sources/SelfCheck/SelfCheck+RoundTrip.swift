import Logging
import ObjectStorage

extension SelfCheck {
    /// (3) Writes a small object under `temp/`, reads it back and compares the bytes, deletes it, and checks that
    /// it is gone; on S3 with `MEDVAULT_BUCKET_ROUTES`, the same in every routed bucket too.
    func checkRoundTrip(_ store: any ObjectStore, run: SelfCheckRun, logger: Logger) async throws(SelfCheckFailure) -> String {
        let key = run.key("round-trip.bin")
        let count = try await roundTrip(key: key, on: store, run: run, logger: logger)
        run.writtenKeys.remove(key)
        var detail = "Wrote \(count) random bytes under \(run.prefix)…, read them back unchanged, deleted the object; it is gone."
        guard let s3 = store as? S3ObjectStore, s3.buckets.count > 1 else { return detail }
        for bucket in s3.buckets.dropFirst() {
            let routed: S3ObjectStore
            do throws(StorageError) {
                routed = try s3.restricted(to: bucket)
            } catch {
                throw SelfCheckFailure("Opening the routed bucket \(bucket)", error: error)
            }
            do {
                _ = try await roundTrip(key: key, on: routed, run: run, logger: logger)
            } catch {
                throw SelfCheckFailure("In the routed bucket \(bucket): \(error.detail)", underlying: error.underlying)
            }
        }
        detail += " The same in the routed bucket\(s3.buckets.count > 2 ? "s" : "") \(s3.buckets.dropFirst().joined(separator: ", "))."
        return detail
    }

    /// One write, read, compare, delete and check of `key` on `store`; returns the number of bytes written.
    private func roundTrip(key: String, on store: any ObjectStore, run: SelfCheckRun, logger: Logger) async throws(SelfCheckFailure) -> Int {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4096).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        _ = try await attempt("Writing") {
            try await put(bytes, key: key, contentType: "application/octet-stream", into: store, run: run, logger: logger)
        }
        let read = try await attempt("Reading back") { try await readAll(key, from: store, logger: logger) }
        guard read == bytes else {
            throw SelfCheckFailure("Read back \(read.count) bytes that differ from the \(bytes.count) bytes written.")
        }
        try await attempt("Deleting") { try await store.delete(key: key, logger: logger) }
        let stillThere: Bool
        do throws(StorageError) {
            _ = try await store.head(key: key, logger: logger)
            stillThere = true
        } catch  where error.code == "not_found" {
            stillThere = false
        } catch {
            throw SelfCheckFailure("Checking the deletion", error: error)
        }
        guard !stillThere else { throw SelfCheckFailure("The object is still there after it was deleted.") }
        return bytes.count
    }
}
