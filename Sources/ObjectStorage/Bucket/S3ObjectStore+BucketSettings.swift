import Crypto
import Foundation
import Logging
import NIOCore

extension S3ObjectStore {
    /// The most bytes read of a bucket configuration answer: S3 allows 100 CORS rules and 1,000 lifecycle rules.
    static let bucketSettingAnswerLimit = 1024 * 1024

    /// `medvault bucket setup`: writes each ``BucketSetting`` of `desired` to `bucket` and reports each one; a failure
    /// does not stop the others.
    package func applyBucketSettings(_ desired: BucketConfiguration, bucket: String, logger: Logger) async -> [BucketSettingReport] {
        let client = self.client.onBucket(bucket)
        var reports: [BucketSettingReport] = []
        for setting in BucketSetting.allCases {
            let body = ByteBuffer(string: setting.body(desired))
            let operation = S3Operation(
                name: "Put" + setting.apiName,
                method: "PUT",
                key: nil,
                query: [(setting.subresource, "")],
                headers: [("content-type", "application/xml"), ("content-md5", Self.contentMD5(body))],
                body: body,
                payloadHash: S3Operation.sha256(of: body).payloadHash,
                isIdempotent: true,
                attemptTimeout: self.configuration.timeouts.request
            )
            let outcome: BucketSettingOutcome
            do {
                _ = try await client.performCollecting(operation, limit: S3Client.errorBodyLimit, logger: logger)
                outcome = .applied(setting.summary(desired))
            } catch {
                outcome = Self.isNotImplemented(error) ? .notSupported : .failed(Self.failureText(error))
            }
            reports.append(BucketSettingReport(bucket: client.bucket, setting: setting, outcome: outcome))
        }
        return reports
    }

    /// `medvault bucket check`: reads each ``BucketSetting`` of `bucket` back and compares it with `desired`.
    package func checkBucketSettings(_ desired: BucketConfiguration, bucket: String, logger: Logger) async -> [BucketSettingReport] {
        let client = self.client.onBucket(bucket)
        var reports: [BucketSettingReport] = []
        for setting in BucketSetting.allCases {
            let outcome: BucketSettingOutcome
            do {
                let observed = try await self.readBucketSetting(setting, client: client, logger: logger)
                let differences = try setting.differences(desired: desired, observed: observed)
                outcome = differences.isEmpty ? .matches(setting.summary(desired)) : .drifted(differences)
            } catch let error as StorageError {
                outcome = Self.isNotImplemented(error) ? .notSupported : .failed(Self.failureText(error))
            } catch {
                outcome = .failed("The storage backend sent a configuration medvault cannot read.")
            }
            reports.append(BucketSettingReport(bucket: client.bucket, setting: setting, outcome: outcome))
        }
        return reports
    }

    /// The Get call's answer for `setting`; nil when the bucket has no such configuration.
    private func readBucketSetting(_ setting: BucketSetting, client: S3Client, logger: Logger) async throws(StorageError) -> [UInt8]? {
        let operation = S3Operation(
            name: "Get" + setting.apiName,
            method: "GET",
            key: nil,
            query: [(setting.subresource, "")],
            isIdempotent: true,
            attemptTimeout: self.configuration.timeouts.request
        )
        do {
            return try await client.performCollecting(operation, limit: Self.bucketSettingAnswerLimit, logger: logger).body
        } catch {
            if Self.isAbsentConfiguration(error) { return nil }
            throw error
        }
    }

    /// `Content-MD5` (RFC 1864): S3 requires it, or an `x-amz-checksum-*`, on the Put calls of CORS, lifecycle, Block
    /// Public Access and encryption ("PutBucketCors", S3 API reference); sent on all five alike.
    static func contentMD5(_ body: ByteBuffer) -> String {
        var hasher = Insecure.MD5()
        body.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        return Data(hasher.finalize()).base64EncodedString()
    }

    /// What a failed call prints: the safe message and, for an S3 answer, its call, status, code and request id (a
    /// bucket call names no object key, so nothing about a patient).
    static func failureText(_ error: StorageError) -> String {
        guard let service = error.underlying as? S3ServiceError else { return error.message }
        return "\(error.message) (\(service.description))"
    }

    /// The server does not implement the call: `501 NotImplemented`, as MinIO and Ceph answer for sub-resources they
    /// lack.
    static func isNotImplemented(_ error: StorageError) -> Bool {
        guard let service = error.underlying as? S3ServiceError else { return false }
        return service.status == 501 || service.code == "NotImplemented"
    }

    /// A 404 that says the bucket has no such configuration (`NoSuchCORSConfiguration`,
    /// `NoSuchLifecycleConfiguration`, `NoSuchPublicAccessBlockConfiguration`,
    /// `ServerSideEncryptionConfigurationNotFoundError`), as opposed to a missing bucket.
    static func isAbsentConfiguration(_ error: StorageError) -> Bool {
        guard let service = error.underlying as? S3ServiceError, service.status == 404, let code = service.code else { return false }
        return code != "NoSuchBucket" && (code.hasSuffix("Configuration") || code.hasSuffix("ConfigurationNotFoundError"))
    }
}
