import Configuration
import Foundation
import ObjectStorage
import Persistence

extension AppConfiguration {
    /// Reads the configuration from a swift-configuration reader (the process environment in production,
    /// an in-memory provider in tests). Command-line flags are applied by the caller on top.
    ///
    /// Keys are spelled so that the environment provider maps them onto the documented variable names:
    /// `medvault.data.dir` → `MEDVAULT_DATA_DIR`, `aws.secret.access.key` → `AWS_SECRET_ACCESS_KEY`, and so on.
    package static func load(from reader: ConfigReader) throws(ConfigurationError) -> AppConfiguration {
        let environmentName = reader.string(forKey: "medvault.env", default: "development").lowercased()
        guard let environment = Environment(rawValue: environmentName) else {
            throw .invalid("MEDVAULT_ENV must be development or production")
        }
        let portText = reader.string(forKey: "port", default: "8080")
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw .invalid("PORT must be a number between 0 and 65535")
        }
        let flag = reader.string(forKey: "enable.aws.s3.storage") ?? reader.string(forKey: "next.public.enable.aws.s3.storage")
        let s3 = try loadS3(from: reader)
        return AppConfiguration(
            host: reader.string(forKey: "host", default: "127.0.0.1"),
            port: port,
            dataDirectory: URL(fileURLWithPath: reader.string(forKey: "medvault.data.dir", default: "./data")).standardizedFileURL,
            migrationsDirectory: URL(fileURLWithPath: reader.string(forKey: "medvault.migrations.dir", default: "./migrations"))
                .standardizedFileURL,
            publicDirectory: URL(fileURLWithPath: reader.string(forKey: "medvault.public.dir", default: "./Public")).standardizedFileURL,
            templatesDirectory: URL(fileURLWithPath: reader.string(forKey: "medvault.templates.dir", default: "./Templates"))
                .standardizedFileURL,
            environment: environment,
            storageEnabled: try parseFlag(flag, name: "ENABLE_AWS_S3_STORAGE"),
            storageKey: reader.string(forKey: "medvault.storage.key", isSecret: true).map(SecretValue.init),
            auditKey: reader.string(forKey: "medvault.audit.key", isSecret: true).nonEmpty.map(SecretValue.init),
            region: reader.string(forKey: "aws.region", default: "us-east-1"),
            publicURL: try reader.string(forKey: "medvault.public.url").nonEmpty.map { text throws(ConfigurationError) in
                try parseURL(text, name: "MEDVAULT_PUBLIC_URL")
            },
            s3: s3,
            auth: try loadAuth(from: reader),
            uploadIntentGrace: try seconds(
                reader,
                "medvault.upload.intent.grace",
                name: "MEDVAULT_UPLOAD_INTENT_GRACE",
                default: AppConfiguration.defaultUploadIntentGrace
            ),
            connections: try loadConnections(from: reader),
            antivirus: try loadAntivirus(from: reader),
            postgres: try loadPostgres(from: reader),
            directUploads: try loadDirectUploads(from: reader),
            sizeLimits: try loadSizeLimits(from: reader),
            lifecycle: try loadLifecycle(from: reader),
            bucketRoutes: try loadBucketRoutes(from: reader, s3: s3),
            video: try loadVideo(from: reader),
            previews: try parseFlag(reader.string(forKey: "medvault.previews"), name: "MEDVAULT_PREVIEWS")
        )
    }

    private static func loadConnections(from reader: ConfigReader) throws(ConfigurationError) -> ConnectionLimits {
        let defaults = ConnectionLimits()
        func duration(_ key: ConfigKey, name: String, default fallback: Duration) throws(ConfigurationError) -> Duration {
            .seconds(try seconds(reader, key, name: name, default: Double(fallback.components.seconds)))
        }
        return ConnectionLimits(
            headerTimeout: try duration("medvault.header.timeout", name: "MEDVAULT_HEADER_TIMEOUT", default: defaults.headerTimeout),
            idleTimeout: try duration("medvault.idle.timeout", name: "MEDVAULT_IDLE_TIMEOUT", default: defaults.idleTimeout),
            bodyProgressTimeout: try duration(
                "medvault.body.progress.timeout",
                name: "MEDVAULT_BODY_PROGRESS_TIMEOUT",
                default: defaults.bodyProgressTimeout
            ),
            maxConnections: Int(
                try seconds(reader, "medvault.max.connections", name: "MEDVAULT_MAX_CONNECTIONS", default: Double(defaults.maxConnections))
            )
        )
    }

    /// `DATABASE_URL`, parsed now so that a malformed URL stops start-up; the message never repeats the URL.
    private static func loadPostgres(from reader: ConfigReader) throws(ConfigurationError) -> PostgresLocation? {
        guard let url = reader.string(forKey: "database.url", isSecret: true).nonEmpty else { return nil }
        do {
            return try PostgresLocation(url: url)
        } catch {
            throw .invalid(error.description)
        }
    }

    private static func loadAuth(from reader: ConfigReader) throws(ConfigurationError) -> AuthSettings {
        let defaults = AuthSettings()
        let cost = try seconds(reader, "medvault.bcrypt.cost", name: "MEDVAULT_BCRYPT_COST", default: Double(defaults.bcryptCost))
        guard (4...31).contains(cost) else { throw .invalid("MEDVAULT_BCRYPT_COST must be a whole number from 4 to 31") }
        return AuthSettings(
            jwtSecret: reader.string(forKey: "medvault.jwt.secret", isSecret: true).nonEmpty.map(SecretValue.init),
            identityProvider: try loadIdentityProvider(from: reader),
            sessionIdleTimeout: try seconds(
                reader,
                "medvault.session.idle.timeout",
                name: "MEDVAULT_SESSION_IDLE_TIMEOUT",
                default: defaults.sessionIdleTimeout
            ),
            sessionMaxAge: try seconds(reader, "medvault.session.max.age", name: "MEDVAULT_SESSION_MAX_AGE", default: defaults.sessionMaxAge),
            lockoutDuration: try seconds(reader, "medvault.lockout.duration", name: "MEDVAULT_LOCKOUT_DURATION", default: defaults.lockoutDuration),
            bcryptCost: Int(cost),
            adminEmail: reader.string(forKey: "medvault.admin.email").nonEmpty,
            adminPassword: reader.string(forKey: "medvault.admin.password", isSecret: true).nonEmpty.map(SecretValue.init),
            identifierKey: reader.string(forKey: "medvault.identifier.key", isSecret: true).nonEmpty.map(SecretValue.init),
            throttle: try loadSignInThrottle(from: reader)
        )
    }

    /// A positive whole number (seconds, a count, or bcrypt's cost), or `fallback` when unset.
    static func seconds(_ reader: ConfigReader, _ key: ConfigKey, name: String, default fallback: Double) throws(ConfigurationError) -> Double {
        guard let text = reader.string(forKey: key).nonEmpty else { return fallback }
        guard let value = Int(text), value > 0 else { throw .invalid("\(name) must be a positive whole number") }
        return Double(value)
    }

    private static func loadS3(from reader: ConfigReader) throws(ConfigurationError) -> S3Settings? {
        guard let accessKeyID = reader.string(forKey: "aws.access.key.id").nonEmpty,
            let secret = reader.string(forKey: "aws.secret.access.key", isSecret: true).nonEmpty,
            let bucket = (reader.string(forKey: "aws.s3.documents.bucket.name") ?? reader.string(forKey: "aws.s3.bucket.name")).nonEmpty
        else { return nil }
        let endpointText = (reader.string(forKey: "aws.endpoint.url.s3") ?? reader.string(forKey: "aws.endpoint.url")).nonEmpty
        let cloudFrontURL = try reader.string(forKey: "aws.cloudfront.url").nonEmpty.map { text throws(ConfigurationError) in
            try parseURL(text, name: "AWS_CLOUDFRONT_URL")
        }
        return S3Settings(
            accessKeyID: accessKeyID,
            secretAccessKey: SecretValue(secret),
            sessionToken: reader.string(forKey: "aws.session.token", isSecret: true).nonEmpty.map(SecretValue.init),
            bucket: bucket,
            endpoint: try endpointText.map { text throws(ConfigurationError) in try parseURL(text, name: "AWS_ENDPOINT_URL_S3") },
            publicEndpoint: try reader.string(forKey: "aws.s3.public.endpoint").nonEmpty.map { text throws(ConfigurationError) in
                try parseURL(text, name: "AWS_S3_PUBLIC_ENDPOINT")
            },
            kmsKeyID: reader.string(forKey: "aws.kms.key.id").nonEmpty,
            cloudFrontURL: cloudFrontURL,
            cloudFront: try CloudFrontSettings.load(from: reader, distribution: cloudFrontURL),
            timeouts: try loadS3Timeouts(from: reader)
        )
    }

    /// `MEDVAULT_S3_REQUEST_TIMEOUT`, `MEDVAULT_S3_TRANSFER_TIMEOUT` and `MEDVAULT_S3_TOTAL_TIMEOUT` (seconds) over
    /// ``S3Timeouts``' defaults: how long a peer that stops answering can hold a request before it ends in 503.
    private static func loadS3Timeouts(from reader: ConfigReader) throws(ConfigurationError) -> S3Timeouts {
        let defaults = S3Timeouts()
        func limit(_ key: ConfigKey, _ name: String, _ fallback: Duration) throws(ConfigurationError) -> Duration {
            .seconds(try seconds(reader, key, name: name, default: Double(fallback.components.seconds)))
        }
        return S3Timeouts(
            request: try limit("medvault.s3.request.timeout", "MEDVAULT_S3_REQUEST_TIMEOUT", defaults.request),
            transfer: try limit("medvault.s3.transfer.timeout", "MEDVAULT_S3_TRANSFER_TIMEOUT", defaults.transfer),
            total: try limit("medvault.s3.total.timeout", "MEDVAULT_S3_TOTAL_TIMEOUT", defaults.total)
        )
    }

    /// The feature flag is on unless it says otherwise, so that a fresh `medvault serve` works.
    private static func parseFlag(_ text: String?, name: String) throws(ConfigurationError) -> Bool {
        switch text?.lowercased() {
        case nil, "", "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw .invalid("\(name) must be true or false")
        }
    }

    private static func parseURL(_ text: String, name: String) throws(ConfigurationError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw .invalid("\(name) must be an http(s) URL")
        }
        return url
    }
}

/// A configuration value that cannot be used; the message names the variable but never its value.
package enum ConfigurationError: Error, CustomStringConvertible {
    case invalid(String)

    package var description: String {
        switch self {
        case .invalid(let message): message
        }
    }
}

extension Optional where Wrapped == String {
    /// The value, or nil when unset or empty (an empty variable counts as unset).
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
