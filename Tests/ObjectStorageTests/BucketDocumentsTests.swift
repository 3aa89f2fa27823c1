import Foundation
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    /// The XML `bucket setup` writes, read back by the parsers `bucket check` uses, and S3's own answers.
    @Suite("Bucket configuration documents")
    struct BucketDocumentsTests {
        static let desired = BucketConfiguration.medvault(
            allowedOrigin: "https://clinic.example",
            uploadHeaders: ["content-type", "x-amz-checksum-sha256", "x-amz-server-side-encryption"],
            kmsKeyID: nil,
            tempRetentionDays: 7
        )

        static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

        @Test("every body setup writes reads back as exactly what it says")
        func bodiesRoundTrip() throws {
            let desired = Self.desired
            for setting in BucketSetting.allCases {
                #expect(try setting.differences(desired: desired, observed: Self.bytes(setting.body(desired))) == [], "\(setting)")
            }
            #expect(try BucketConfiguration.corsRules(Self.bytes(BucketSetting.cors.body(desired))) == desired.cors)
            #expect(try BucketConfiguration.lifecycleRules(Self.bytes(BucketSetting.lifecycle.body(desired))) == desired.lifecycle)
        }

        @Test("the lifecycle body: temp/ expiry and the abort of incomplete multipart uploads for every key")
        func lifecycleBody() {
            #expect(
                BucketSetting.lifecycle.body(Self.desired)
                    == #"<?xml version="1.0" encoding="UTF-8"?><LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#
                    + "<Rule><ID>medvault-temp-expiry</ID><Filter><Prefix>temp/</Prefix></Filter><Status>Enabled</Status>"
                    + "<Expiration><Days>7</Days></Expiration></Rule>"
                    + "<Rule><ID>medvault-abort-incomplete-uploads</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>"
                    + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>"
                    + "</LifecycleConfiguration>"
            )
        }

        @Test("encryption: SSE-KMS names its key; an empty key id means SSE-S3")
        func encryptionBody() {
            let kms = BucketConfiguration.medvault(
                allowedOrigin: "https://a.example",
                uploadHeaders: [],
                kmsKeyID: "alias/medvault",
                tempRetentionDays: 7
            )
            #expect(
                BucketSetting.encryption.body(kms).contains("<SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>alias/medvault</KMSMasterKeyID>")
            )
            #expect(BucketConfiguration.DefaultEncryption(kmsKeyID: "") == BucketConfiguration.DefaultEncryption(algorithm: "AES256", kmsKeyID: nil))
        }

        @Test("text is escaped in bodies")
        func escaping() {
            let odd = BucketConfiguration.medvault(allowedOrigin: "https://a.example/<&>", uploadHeaders: [], kmsKeyID: nil, tempRetentionDays: 7)
            #expect(BucketSetting.cors.body(odd).contains("<AllowedOrigin>https://a.example/&lt;&amp;&gt;</AllowedOrigin>"))
        }

        @Test("CORS as AWS answers it, in another order and case, matches; a second origin does not")
        func corsComparison() throws {
            let answer = """
                <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule><ID>x</ID>
                <AllowedHeader>X-Amz-Server-Side-Encryption</AllowedHeader><AllowedHeader>x-amz-checksum-sha256</AllowedHeader>
                <AllowedHeader>Content-Type</AllowedHeader><AllowedMethod>PUT</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>
                <AllowedMethod>GET</AllowedMethod><AllowedOrigin>https://clinic.example</AllowedOrigin><ExposeHeader>etag</ExposeHeader>
                <MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule></CORSConfiguration>
                """
            #expect(try BucketSetting.cors.differences(desired: Self.desired, observed: Self.bytes(answer)) == [])
            let wider = answer.replacingOccurrences(of: "<AllowedOrigin>", with: "<AllowedOrigin>*</AllowedOrigin><AllowedOrigin>")
            let differences = try BucketSetting.cors.differences(desired: Self.desired, observed: Self.bytes(wider))
            #expect(differences.count == 1)
            #expect(differences.first?.hasPrefix("found origin * https://clinic.example, methods GET HEAD PUT") == true)
            #expect(try BucketSetting.cors.differences(desired: Self.desired, observed: nil) == ["no CORS configuration"])
        }

        @Test("Block Public Access: each switch that is off is named; a switch left out is off")
        func publicAccessComparison() throws {
            let answer = """
                <PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>TRUE</IgnorePublicAcls>
                <BlockPublicPolicy>false</BlockPublicPolicy></PublicAccessBlockConfiguration>
                """
            #expect(
                try BucketSetting.publicAccessBlock.differences(desired: Self.desired, observed: Self.bytes(answer)) == [
                    "BlockPublicPolicy is off, expected on", "RestrictPublicBuckets is off, expected on",
                ]
            )
        }

        @Test("default encryption: the algorithm and the KMS key must both agree")
        func encryptionComparison() throws {
            let kms = """
                <ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>
                <KMSMasterKeyID>key-1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>
                </ServerSideEncryptionConfiguration>
                """
            #expect(
                try BucketSetting.encryption.differences(desired: Self.desired, observed: Self.bytes(kms)) == ["aws:kms (key-1), expected AES256"]
            )
            var other = Self.desired
            other.encryption = .init(kmsKeyID: "key-2")
            #expect(
                try BucketSetting.encryption.differences(desired: other, observed: Self.bytes(kms)) == ["aws:kms (key-1), expected aws:kms (key-2)"]
            )
            #expect(throws: S3XMLError.self) {
                try BucketSetting.encryption.differences(desired: other, observed: Self.bytes("<ServerSideEncryptionConfiguration/>"))
            }
        }

        @Test("versioning: Suspended and never enabled are drift; moto's root name is read")
        func versioningComparison() throws {
            let suspended = "<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>"
            #expect(
                try BucketSetting.versioning.differences(desired: Self.desired, observed: Self.bytes(suspended)) == [
                    "status is Suspended, expected Enabled"
                ]
            )
            let never = #"<GetBucketVersioningResponse xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>"#
            #expect(
                try BucketSetting.versioning.differences(desired: Self.desired, observed: Self.bytes(never)) == [
                    "status is never enabled, expected Enabled"
                ]
            )
        }

        @Test("lifecycle: rules are matched by ID; changed days, a missing rule, an extra rule and a transition are drift")
        func lifecycleComparison() throws {
            let answer = """
                <LifecycleConfiguration><Rule><ID>medvault-temp-expiry</ID><Filter><Prefix>temp/</Prefix></Filter><Status>Enabled</Status>
                <Expiration><Days>30</Days></Expiration><Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>
                <Rule><ID>legacy</ID><Prefix>old/</Prefix><Status>Disabled</Status><Expiration><Days>5</Days></Expiration></Rule>
                </LifecycleConfiguration>
                """
            #expect(
                try BucketSetting.lifecycle.differences(desired: Self.desired, observed: Self.bytes(answer)) == [
                    "rule medvault-temp-expiry is temp/: expire after 30 days, Transition, expected temp/: expire after 7 days",
                    "rule medvault-abort-incomplete-uploads is missing (expected (all keys): abort incomplete multipart uploads after 1 day)",
                    "unexpected rule legacy: old/: expire after 5 days, disabled",
                ]
            )
            #expect(try BucketSetting.lifecycle.differences(desired: Self.desired, observed: nil) == ["no lifecycle configuration"])
        }

        @Test("outcomes: drift and failures fail the check, a setting the server lacks does not")
        func outcomes() {
            #expect(BucketSettingOutcome.drifted(["x"]).isProblem)
            #expect(BucketSettingOutcome.failed("x").isProblem)
            #expect(!BucketSettingOutcome.notSupported.isProblem)
            #expect(BucketSettingOutcome.notSupported.text == "not supported by this server")
            #expect(BucketSettingReport(bucket: "b", setting: .encryption, outcome: .matches("AES256")).line == "b default-encryption: ok: AES256")
        }

        @Test("501 NotImplemented is 'not supported'; a 404 NoSuch…Configuration is an absent setting, NoSuchBucket is not")
        func errorClassification() {
            func error(_ status: Int, _ code: String?) -> StorageError {
                S3ServiceError(operation: "GetBucketCors", status: status, code: code, requestID: nil, retryAfterSeconds: nil).storageError
            }
            #expect(S3ObjectStore.isNotImplemented(error(501, "NotImplemented")))
            #expect(S3ObjectStore.isNotImplemented(error(501, nil)))
            #expect(!S3ObjectStore.isNotImplemented(error(400, "InvalidRequest")))
            #expect(S3ObjectStore.isAbsentConfiguration(error(404, "NoSuchCORSConfiguration")))
            #expect(S3ObjectStore.isAbsentConfiguration(error(404, "ServerSideEncryptionConfigurationNotFoundError")))
            #expect(!S3ObjectStore.isAbsentConfiguration(error(404, "NoSuchBucket")))
            #expect(!S3ObjectStore.isAbsentConfiguration(error(403, "AccessDenied")))
        }
    }
}
