import Documents
import Foundation
import ObjectStorage
import Persistence

/// Everything medvault reads from its environment, resolved once at start-up.
///
/// The names of the environment variables are a contract (README, DESIGN.md); ``AppConfiguration/load(from:)``
/// maps them. Secrets are held as ``SecretValue`` so that they are redacted wherever the value is printed.
package struct AppConfiguration: Sendable {
    /// `MEDVAULT_ENV`: production refuses to fall back to the local store.
    package enum Environment: String, Sendable, Codable {
        case development
        case production
    }

    /// Where documents are kept, as chosen from the configuration (DESIGN.md, "Storage backends").
    package enum Backend: Sendable {
        /// The embedded encrypted store under the data directory.
        case local
        /// An S3-compatible bucket.
        case s3(S3Settings)
    }

    package var host: String
    package var port: Int
    package var dataDirectory: URL
    package var migrationsDirectory: URL
    /// `MEDVAULT_PUBLIC_DIR`: static assets, among them the OpenAPI document, CSS and scripts.
    package var publicDirectory: URL
    /// `MEDVAULT_TEMPLATES_DIR`: the mustache templates of the pages.
    package var templatesDirectory: URL
    package var environment: Environment
    /// `ENABLE_AWS_S3_STORAGE` (or `NEXT_PUBLIC_ENABLE_AWS_S3_STORAGE`); off answers 503 `storage_disabled`.
    package var storageEnabled: Bool
    /// `MEDVAULT_STORAGE_KEY`: base64 of 32 bytes for the local store; else a generated key file is used.
    package var storageKey: SecretValue?
    /// `MEDVAULT_AUDIT_KEY`: base64 of 32 bytes that keys the audit chain; else `<data>/audit.key` is used (see
    /// ``loadAuditKey()``).
    package var auditKey: SecretValue?
    package var region: String
    /// `MEDVAULT_PUBLIC_URL`: how clients reach this server, for the local store's pre-signed URLs.
    package var publicURL: URL?
    /// S3 settings when the credentials and a bucket are all present; nil otherwise.
    package var s3: S3Settings?
    /// Sign-in, sessions, bearer tokens and the first administrator.
    package var auth: AuthSettings
    /// `MEDVAULT_UPLOAD_INTENT_GRACE` (seconds): how old an unfinished upload must be before the sweep removes
    /// what it stored (``UploadIntentSweeper``). Longer than any upload takes, because another node may still be
    /// receiving it.
    package var uploadIntentGrace: TimeInterval

    /// One hour: far longer than an upload of 20 files at the size limits takes on a slow link.
    package static let defaultUploadIntentGrace: TimeInterval = 3600
    /// Timeouts and the cap on open connections.
    package var connections: ConnectionLimits
    /// `MEDVAULT_CLAMD_URL` and its deadlines: when set, every upload is scanned by clamd and one that cannot be
    /// scanned is refused; nil leaves uploads unscanned (`/config` says `"antivirus": "off"`).
    package var antivirus: AntivirusSettings? = nil
    /// `DATABASE_URL`: a PostgreSQL database shared by every node; nil keeps the SQLite file under the data
    /// directory.
    package var postgres: PostgresLocation?
    /// `MEDVAULT_UPLOAD_PART_MB` and `MEDVAULT_UPLOAD_URL_TTL`: how direct uploads are cut into parts and signed.
    package var directUploads = DirectUploadSettings()
    /// `MEDVAULT_MAX_IMAGE_MB`, `MEDVAULT_MAX_DOCUMENT_MB`, `MEDVAULT_MAX_FILE_MB` and `MEDVAULT_MAX_VIDEO_MB`: the
    /// upload size limits, enforced by the upload path and reported by `/config`.
    package var sizeLimits: SizeLimits = .standard
    /// `MEDVAULT_TEMP_RETENTION_DAYS` and the other lifecycle settings: what ``LifecyclePlanner`` applies.
    package var lifecycle = LifecycleRules()
    /// `MEDVAULT_BUCKET_ROUTES`: categories kept in S3 buckets of their own. Checked on every backend, so a mistake
    /// shows in development too; the local store has no buckets and keeps every category under the data directory.
    package var bucketRoutes: BucketRoutes = .none
    /// `MEDVAULT_TRANSCODE` and `MEDVAULT_MEDIA_JOBS`: what the background video jobs make, and how many run at once.
    package var video = VideoSettings()
    /// `MEDVAULT_PREVIEWS` (default on): whether previews of images and PDFs are made; off, stored variants are still
    /// served but no new ones are made (the benchmark compares the two).
    package var previews = true

    /// The backend this configuration selects. Production without S3 has none: documents answer 503.
    package var backend: Backend? {
        if let s3 { return .s3(s3) }
        return environment == .production ? nil : .local
    }

    /// The base of the local store's pre-signed URLs: `MEDVAULT_PUBLIC_URL`, else the listen address
    /// (a wildcard address is replaced by loopback, which is all such a URL can promise).
    package var publicBaseURL: URL {
        if let publicURL { return publicURL }
        let host = ["0.0.0.0", "::", ""].contains(self.host) ? "127.0.0.1" : self.host
        return URL(string: "http://\(host.contains(":") ? "[\(host)]" : host):\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// Whether clients reach medvault over TLS (`MEDVAULT_PUBLIC_URL` is https): cookies get `Secure` and
    /// pages send HSTS.
    package var servedOverTLS: Bool { publicURL?.scheme == "https" }

    /// The SQLite database file, under the data directory.
    package var databasePath: String {
        dataDirectory.appendingPathComponent("medvault.sqlite").path
    }

    /// The database the server and every subcommand open: PostgreSQL with `DATABASE_URL`, else SQLite under the
    /// data directory (resolved late, so `--data-dir` counts).
    package var database: DatabaseLocation {
        postgres.map(DatabaseLocation.postgres) ?? .sqlite(path: databasePath)
    }
}

/// Connection settings for an S3-compatible bucket; the secret parts are redacted when printed.
package struct S3Settings: Sendable {
    package var accessKeyID: String
    package var secretAccessKey: SecretValue
    package var sessionToken: SecretValue?
    package var bucket: String
    /// `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`: MinIO, Ceph, moto; nil means AWS itself.
    package var endpoint: URL?
    /// `AWS_S3_PUBLIC_ENDPOINT`: the same store as clients reach it, when that is not how medvault reaches it
    /// (`http://minio:9000` inside Docker Compose, `http://localhost:9000` for the browser). Pre-signed URLs are
    /// signed for this host; nil signs them for ``endpoint``.
    package var publicEndpoint: URL?
    package var kmsKeyID: String?
    package var cloudFrontURL: URL?
    /// Signed CloudFront URLs for some categories' downloads; nil: S3's own pre-signed URLs for every document.
    package var cloudFront: CloudFrontSettings?
    /// `MEDVAULT_S3_*_TIMEOUT`: per-attempt and overall deadlines of S3 calls.
    package var timeouts: S3Timeouts
}
