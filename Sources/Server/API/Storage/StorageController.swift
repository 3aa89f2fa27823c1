import Audit
import Documents
import Foundation
import Hummingbird
import ObjectStorage
import Persistence

/// `GET stats`, `GET config` and `GET reconcile` under `/api/v2/aws/s3`: what is stored, how storage is set up,
/// and whether the index and the store agree.
struct StorageController: Sendable {
    /// The index for the totals, and the audit trail for the scan counts.
    let database: any DocumentIndex & AuditLog & ReconcileKeys
    let storage: StorageAccess
    let audit: AuditTrail
    let configuration: AppConfiguration
    /// Nil when there is no store to probe (storage disabled or not configured).
    let encryptionProbe: EncryptionProbe?
    /// Checked live on every `config`, so that an operator sees clamd as it is now.
    let antivirus: Antivirus

    /// How many recent uploads `stats` lists.
    static let recentUploads = 10

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("stats", use: stats)
        group.get("config", use: config)
        group.get("reconcile", use: reconcile)
    }

    /// `GET stats`: totals, per category and per type, and the most recent uploads, from the index.
    @Sendable func stats(request: Request, context: AppRequestContext) async throws -> JSONResponse<StatsResponse> {
        try await audit.perform(.storageStats, request: request, context: context) { _ in
            try context.requireAdministrator()
            _ = try storage.store()
            let stats = try await database.stats(recentLimit: Self.recentUploads)
            return JSONResponse(StatsResponse(stats, scans: try await database.scanTotals()))
        }
    }

    /// `GET config`: the storage set-up, for operators and the self-check. It is built from an allow-list
    /// of fields, so no credential or key material can appear in it.
    @Sendable func config(request: Request, context: AppRequestContext) async throws -> JSONResponse<ConfigResponse> {
        try await audit.perform(.storageConfig, request: request, context: context) { _ in
            try context.requireAdministrator()
            let check = try await encryptionProbe?.result(logger: context.logger)
            return JSONResponse(
                ConfigResponse(
                    configuration: configuration,
                    storage: storage,
                    encryptionCheck: check,
                    antivirus: antivirus,
                    antivirusCheck: await antivirus.check()
                )
            )
        }
    }
}

/// The body of `GET stats`.
struct StatsResponse: Encodable, Sendable {
    struct Tally: Encodable, Sendable {
        let count: Int
        let bytes: Int64
    }
    let totalFiles: Int
    let totalBytes: Int64
    let byCategory: [String: Tally]
    let byType: [String: Tally]
    let recentUploads: [DocumentResponse]
    let archivedFiles: Int
    /// Uploaded files clamd gave a verdict on (stored clean, or refused), counted from the audit trail.
    let scannedFiles: Int
    /// Uploads refused because clamd found malware.
    let refusedMalware: Int

    init(_ stats: DocumentStats, scans: ScanTotals) {
        totalFiles = stats.totalCount
        totalBytes = stats.totalBytes
        byCategory = Dictionary(uniqueKeysWithValues: stats.byCategory.map { ($0.key.rawValue, Tally(count: $0.value.count, bytes: $0.value.bytes)) })
        byType = Dictionary(uniqueKeysWithValues: stats.byContentType.map { ($0.key, Tally(count: $0.value.count, bytes: $0.value.bytes)) })
        recentUploads = stats.recent.map(DocumentResponse.init)
        archivedFiles = stats.archivedCount
        scannedFiles = scans.scanned
        refusedMalware = scans.refusedMalware
    }
}
