import Foundation

extension BucketConfiguration {
    /// A bucket's default server-side encryption ("ServerSideEncryptionConfiguration", S3 API reference): what S3
    /// applies to an object written without SSE headers. medvault always sends them; the default covers anything
    /// written into the bucket by other means and must agree with what medvault asks for.
    package struct DefaultEncryption: Sendable, Equatable {
        /// `AES256` (SSE-S3) or `aws:kms` (SSE-KMS).
        package var algorithm: String
        /// The KMS key for `aws:kms`; nil otherwise (or S3's own `aws/s3` key).
        package var kmsKeyID: String?

        package init(algorithm: String, kmsKeyID: String?) {
            self.algorithm = algorithm
            self.kmsKeyID = kmsKeyID
        }

        /// SSE-KMS under `kmsKeyID`, SSE-S3 without one (``S3StoreConfiguration/kmsKeyID``'s rule: empty counts as none).
        package init(kmsKeyID: String?) {
            if let kmsKeyID, !kmsKeyID.isEmpty {
                self.init(algorithm: "aws:kms", kmsKeyID: kmsKeyID)
            } else {
                self.init(algorithm: "AES256", kmsKeyID: nil)
            }
        }

        /// `AES256` or `aws:kms (key)`.
        package var summary: String {
            self.kmsKeyID.map { "\(self.algorithm) (\($0))" } ?? self.algorithm
        }
    }

    /// The `PutBucketEncryption` body.
    static func encryptionBody(_ encryption: DefaultEncryption) -> String {
        var byDefault = element("SSEAlgorithm", encryption.algorithm)
        if let kmsKeyID = encryption.kmsKeyID { byDefault += element("KMSMasterKeyID", kmsKeyID) }
        return document(
            "ServerSideEncryptionConfiguration",
            "<Rule><ApplyServerSideEncryptionByDefault>\(byDefault)</ApplyServerSideEncryptionByDefault></Rule>"
        )
    }

    /// The default of a `GetBucketEncryption` answer (its first rule; S3 has exactly one).
    static func defaultEncryption(_ bytes: [UInt8]) throws(S3XMLError) -> DefaultEncryption {
        let root = try S3XMLReader.parse(bytes)
        guard root.name == "ServerSideEncryptionConfiguration",
            let byDefault = root.child("Rule")?.child("ApplyServerSideEncryptionByDefault"),
            let algorithm = byDefault.text(of: "SSEAlgorithm")?.trimmingCharacters(in: .whitespaces), !algorithm.isEmpty
        else { throw S3XMLError(reason: "expected ServerSideEncryptionConfiguration with an SSEAlgorithm", offset: 0) }
        let key = byDefault.text(of: "KMSMasterKeyID")?.trimmingCharacters(in: .whitespaces)
        return DefaultEncryption(algorithm: algorithm, kmsKeyID: key?.isEmpty == false ? key : nil)
    }
}
