import Logging
import ObjectStorage

extension SelfCheck {
    /// (9) Encryption at rest, read back from the objects themselves rather than from the configuration: on S3 the
    /// `x-amz-server-side-encryption` HeadObject reports for the sample and the multipart object must be the one
    /// every write asks for (`AES256`, or `aws:kms` with `AWS_KMS_KEY_ID`); for the local store, the sample's
    /// encrypted header must authenticate under the master key and name the store's scheme.
    func checkEncryption(_ store: any ObjectStore, run: SelfCheckRun, logger: Logger) async throws(SelfCheckFailure) -> String {
        let expected = settings.expectedEncryption
        let sample = try await sample(in: store, run: run, logger: logger)
        let info = try await attempt("Reading the sample object's headers") { try await store.head(key: sample.key, logger: logger) }
        guard info.serverSideEncryption == expected else {
            throw SelfCheckFailure("The sample object reports encryption \(info.serverSideEncryption ?? "none"); \(expected) was expected.")
        }
        if let large = run.largeFileEncryption, large != expected {
            throw SelfCheckFailure("The 12 MiB (multipart) object reported encryption \(large); \(expected) was expected.")
        }
        let scheme = store.summary.encryption
        if settings.s3 == nil {
            return "The sample object's header authenticated under the master key and reports \(expected): \(scheme)."
        }
        let objects = run.largeFileEncryption == nil ? "the sample object" : "the sample and the multipart object"
        return "HeadObject reports x-amz-server-side-encryption: \(expected) for \(objects), as configured (\(scheme))."
    }
}
