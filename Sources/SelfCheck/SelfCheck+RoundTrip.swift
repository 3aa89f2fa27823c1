import Logging
import ObjectStorage

extension SelfCheck {
    /// (3) Writes a small object under `temp/`, reads it back and compares the bytes, deletes it, and checks that
    /// it is gone.
    func checkRoundTrip(_ store: any ObjectStore, run: SelfCheckRun, logger: Logger) async throws(SelfCheckFailure) -> String {
        let key = run.key("round-trip.bin")
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
        run.writtenKeys.remove(key)
        return "Wrote \(bytes.count) random bytes under \(run.prefix)…, read them back unchanged, deleted the object; it is gone."
    }
}
