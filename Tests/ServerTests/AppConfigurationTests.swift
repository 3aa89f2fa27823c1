import Configuration
import Foundation
import ObjectStorage
import Persistence
import Testing

@testable import Server

@Suite struct AppConfigurationTests {
    private func load(_ environment: [String: String]) throws -> AppConfiguration {
        try AppConfiguration.load(from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    @Test func defaultsRunTheLocalStoreUnderData() throws {
        let configuration = try load([:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.dataDirectory.lastPathComponent == "data")
        #expect(configuration.storageEnabled)
        guard case .local = configuration.backend else {
            Issue.record("expected the local store")
            return
        }
    }

    @Test func documentedVariablesAreRead() throws {
        let configuration = try load([
            "HOST": "0.0.0.0", "PORT": "9000", "MEDVAULT_DATA_DIR": "/tmp/mv", "AWS_REGION": "eu-west-1",
            "ENABLE_AWS_S3_STORAGE": "false",
        ])
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9000)
        #expect(configuration.dataDirectory.path == "/tmp/mv")
        #expect(configuration.region == "eu-west-1")
        #expect(!configuration.storageEnabled)
    }

    @Test func theNextPublicFlagIsAnAlias() throws {
        #expect(try !load(["NEXT_PUBLIC_ENABLE_AWS_S3_STORAGE": "false"]).storageEnabled)
    }

    @Test func s3NeedsKeySecretAndBucket() throws {
        #expect(try load(["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK"]).s3?.bucket == nil)
        let s3 = try #require(
            try load([
                "AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK", "AWS_S3_BUCKET_NAME": "fallback",
                "AWS_S3_DOCUMENTS_BUCKET_NAME": "docs", "AWS_ENDPOINT_URL": "http://127.0.0.1:9000",
            ]).s3
        )
        #expect(s3.bucket == "docs")
        #expect(s3.endpoint?.port == 9000)
    }

    @Test func s3TimeoutsAndTheUploadGraceAreRead() throws {
        let s3 = ["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK", "AWS_S3_BUCKET_NAME": "docs"]
        let defaults = try load(s3)
        #expect(defaults.s3?.timeouts == S3Timeouts())
        #expect(defaults.uploadIntentGrace == 3600)
        let configured = try load(
            s3.merging([
                "MEDVAULT_S3_REQUEST_TIMEOUT": "2", "MEDVAULT_S3_TRANSFER_TIMEOUT": "3", "MEDVAULT_S3_TOTAL_TIMEOUT": "6",
                "MEDVAULT_UPLOAD_INTENT_GRACE": "1",
            ]) { $1 }
        )
        #expect(configured.s3?.timeouts == S3Timeouts(request: .seconds(2), transfer: .seconds(3), total: .seconds(6)))
        #expect(configured.uploadIntentGrace == 1)
        for name in ["MEDVAULT_S3_REQUEST_TIMEOUT", "MEDVAULT_S3_TRANSFER_TIMEOUT", "MEDVAULT_S3_TOTAL_TIMEOUT", "MEDVAULT_UPLOAD_INTENT_GRACE"] {
            for value in ["0", "-5", "soon"] {
                #expect(throws: ConfigurationError.self) { try load(s3.merging([name: value]) { $1 }) }
            }
        }
    }

    @Test func thePublicEndpointIsReadBesideTheEndpoint() throws {
        let s3 = try #require(
            try load([
                "AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK", "AWS_S3_DOCUMENTS_BUCKET_NAME": "docs",
                "AWS_ENDPOINT_URL_S3": "http://minio:9000", "AWS_S3_PUBLIC_ENDPOINT": "http://localhost:9000",
            ]).s3
        )
        #expect(s3.endpoint?.host == "minio")
        #expect(s3.publicEndpoint?.host == "localhost")
        let s3Only = ["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK", "AWS_S3_DOCUMENTS_BUCKET_NAME": "docs"]
        #expect(try load(s3Only).s3?.publicEndpoint == nil)
        #expect(throws: ConfigurationError.self) { try load(s3Only.merging(["AWS_S3_PUBLIC_ENDPOINT": "localhost:9000"]) { $1 }) }
    }

    @Test func connectionLimitsHaveDefaultsAndAreRead() throws {
        #expect(try load([:]).connections == ConnectionLimits())
        #expect(ConnectionLimits().headerTimeout == .seconds(30))
        let limits = try load([
            "MEDVAULT_HEADER_TIMEOUT": "5", "MEDVAULT_IDLE_TIMEOUT": "7", "MEDVAULT_BODY_PROGRESS_TIMEOUT": "9", "MEDVAULT_MAX_CONNECTIONS": "12",
        ]).connections
        #expect(
            limits == ConnectionLimits(headerTimeout: .seconds(5), idleTimeout: .seconds(7), bodyProgressTimeout: .seconds(9), maxConnections: 12)
        )
    }

    @Test(arguments: ["MEDVAULT_HEADER_TIMEOUT", "MEDVAULT_IDLE_TIMEOUT", "MEDVAULT_BODY_PROGRESS_TIMEOUT", "MEDVAULT_MAX_CONNECTIONS"])
    func connectionLimitsMustBePositiveWholeNumbers(name: String) {
        for value in ["0", "-1", "1.5", "soon"] {
            #expect(throws: ConfigurationError.self) { try load([name: value]) }
        }
    }

    @Test func productionWithoutS3HasNoBackend() throws {
        let backend = try load(["MEDVAULT_ENV": "production"]).backend
        #expect(backend.map { _ in true } == nil)
    }

    @Test(arguments: [["PORT": "http"], ["PORT": "70000"], ["MEDVAULT_ENV": "staging"], ["ENABLE_AWS_S3_STORAGE": "maybe"]])
    func invalidValuesAreRefusedWithoutEchoingThem(environment: [String: String]) {
        #expect(throws: ConfigurationError.self) { try load(environment) }
    }

    @Test func secretsAreRedactedWhenPrinted() throws {
        let configuration = try load([
            "AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "very-secret-value", "AWS_SESSION_TOKEN": "token-value",
            "AWS_S3_BUCKET_NAME": "docs", "MEDVAULT_STORAGE_KEY": "storage-key-value", "MEDVAULT_AUDIT_KEY": "audit-key-value",
        ])
        #expect(configuration.auditKey?.value == "audit-key-value")
        let printed = "\(configuration) \(String(reflecting: configuration))"
        for secret in ["very-secret-value", "token-value", "storage-key-value", "audit-key-value"] {
            #expect(!printed.contains(secret))
        }
    }

    @Test func databaseURLSelectsPostgreSQLAndKeepsThePasswordOut() throws {
        let sqlite = try load(["MEDVAULT_DATA_DIR": "/tmp/mv"])
        #expect(sqlite.database == .sqlite(path: "/tmp/mv/medvault.sqlite"))
        let configuration = try load(["DATABASE_URL": "postgres://mv:hunter2@db.internal:5433/medvault?sslmode=require"])
        guard case .postgres(let location) = configuration.database else {
            Issue.record("DATABASE_URL should select PostgreSQL")
            return
        }
        #expect(location.host == "db.internal" && location.port == 5433 && location.database == "medvault")
        #expect(location.tlsMode == .require)
        #expect(!configuration.database.description.contains("hunter2"))
        #expect(try load(["DATABASE_URL": ""]).postgres == nil, "an empty DATABASE_URL keeps SQLite")
    }

    @Test func aMalformedDatabaseURLStopsStartUpWithoutEchoingIt() {
        #expect {
            try load(["DATABASE_URL": "mysql://mv:hunter2@db/medvault"])
        } throws: { error in
            "\(error)".contains("DATABASE_URL") && !"\(error)".contains("hunter2")
        }
    }
}
