import Configuration
import Documents
import Testing

@testable import Server

/// `MEDVAULT_BUCKET_ROUTES` at start-up: parsed on every backend, refused with a message naming the variable, and
/// kept away from CloudFront, which serves the documents bucket only.
@Suite struct BucketRoutesConfigurationTests {
    private static let s3 = [
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "very-secret-value", "AWS_S3_DOCUMENTS_BUCKET_NAME": "clinic-documents",
    ]
    private static let cloudFront = [
        "AWS_CLOUDFRONT_URL": "https://d111111abcdef8.cloudfront.net", "AWS_CLOUDFRONT_KEY_PAIR_ID": "K2JCJMDEHXQW5F",
        "AWS_CLOUDFRONT_PRIVATE_KEY_FILE": "/nonexistent/key.pem",
    ]

    private func load(_ environment: [String: String]) throws -> AppConfiguration {
        try AppConfiguration.load(from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    private func refusal(_ environment: [String: String]) -> String? {
        do {
            _ = try load(environment)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func routesAreLoadedOnEveryBackend() throws {
        let text = "verification-photo=clinic-verification"
        #expect(
            try load(Self.s3.merging(["MEDVAULT_BUCKET_ROUTES": text]) { $1 }).bucketRoutes.bucket(for: .verificationPhoto) == "clinic-verification"
        )
        #expect(try load(["MEDVAULT_BUCKET_ROUTES": text]).bucketRoutes.bucket(for: .verificationPhoto) == "clinic-verification")
        #expect(try load(Self.s3).bucketRoutes == .none)
    }

    @Test func aBadRouteStopsStartUpWithoutEchoingSecrets() throws {
        let message = try #require(refusal(Self.s3.merging(["MEDVAULT_BUCKET_ROUTES": "verification-photo=Bad_Bucket"]) { $1 }))
        #expect(message.hasPrefix("MEDVAULT_BUCKET_ROUTES gives verification-photo a bucket name S3 does not accept"))
        #expect(!message.contains("very-secret-value") && !message.contains("Bad_Bucket"))
    }

    @Test func aRoutedCategoryCannotGoThroughCloudFront() throws {
        let routed = Self.s3.merging(Self.cloudFront) { $1 }.merging(["MEDVAULT_BUCKET_ROUTES": "profile-photo=clinic-profiles"]) { $1 }
        let message = try #require(refusal(routed))
        #expect(message.hasPrefix("MEDVAULT_CLOUDFRONT_CATEGORIES must leave out profile-photo"))
        let narrowed = routed.merging(["MEDVAULT_CLOUDFRONT_CATEGORIES": "therapy-media"]) { $1 }
        #expect(try load(narrowed).bucketRoutes.bucket(for: .profilePhoto) == "clinic-profiles")
    }
}
