import ContentValidation
import Foundation
import Hummingbird
import ObjectStorage
import Persistence

/// The JSON API under `/api/v2`: users and care teams (administrators), appointments, the audit trail, and the documents,
/// pre-signed objects, configuration and statistics under `/api/v2/aws/s3`, a document by its id under
/// `/api/v2/documents`, and an entity's export under `/api/v2/entities`.
struct APIRoutes: Sendable {
    let database: any AppDatabase
    let storage: StorageAccess
    let presignedURLs: (any PresignedURLIssuer)?
    /// Signs the URLs of the categories delivered through CloudFront (nil: none are).
    let cloudFront: CloudFrontURLs?
    let audit: AuditTrail
    let sniffer: MagicSniffer
    let antivirus: Antivirus
    let hasher: PasswordHasher
    let configuration: AppConfiguration
    /// Makes the previews of images and PDFs (shared by the upload paths and `download?variant=`).
    let previews: DocumentPreviews
    let now: @Sendable () -> Date

    /// Registers every API route on `router`.
    func addRoutes(to router: Router<AppRequestContext>) {
        UsersController(database: database, audit: audit, hasher: hasher, now: now).addRoutes(to: router.group("api/v2/users"))
        CareTeamsController(database: database, audit: audit, now: now).addRoutes(to: router.group("api/v2/careteams"))
        AppointmentsController(database: database, audit: audit, now: now).addRoutes(to: router.group("api/v2/appointments"))
        AuditController(database: database, audit: audit, now: now).addRoutes(to: router.group("api/v2/audit"))
        ErasureController(database: database, storage: storage, audit: audit).addRoutes(to: router.group("api/v2/entities"))
        let videoJobs = VideoJobQueue(database: database, settings: configuration.video, now: now)
        let storageAPI = router.group("api/v2/aws/s3")
        let documents = DocumentsController(
            database: database,
            storage: storage,
            audit: audit,
            sniffer: sniffer,
            limits: configuration.enforcedSizeLimits,
            antivirus: antivirus,
            presignedURLs: presignedURLs,
            cloudFront: cloudFront,
            videoJobs: videoJobs,
            previews: previews,
            now: now,
            makeUUID: UUID.init
        )
        documents.addRoutes(to: storageAPI)
        documents.addDocumentRoutes(to: router.group("api/v2/documents"))
        ExportController(database: database, storage: storage, audit: audit, now: now).addRoutes(to: router.group("api/v2/entities"))
        DirectUploadsController(
            database: database,
            storage: storage,
            audit: audit,
            sniffer: sniffer,
            limits: configuration.enforcedSizeLimits,
            antivirus: antivirus,
            presignedURLs: presignedURLs,
            settings: configuration.directUploads,
            expectedEncryption: StorageComposition.expectedEncryption(configuration),
            videoJobs: videoJobs,
            previews: previews,
            now: now,
            makeUUID: UUID.init
        ).addRoutes(to: storageAPI)
        if let local = presignedURLs as? LocalPresignedURLs {
            PresignedObjectController(database: database, storage: storage, audit: audit, urls: local, now: now).addRoutes(to: storageAPI)
            StagedObjectController(database: database, storage: storage, urls: local, now: now).addRoutes(to: storageAPI)
        }
        let probe: EncryptionProbe? =
            if case .ready(let store) = storage {
                EncryptionProbe(store: store, expected: StorageComposition.expectedEncryption(configuration), now: now)
            } else {
                nil
            }
        StorageController(
            database: database,
            storage: storage,
            audit: audit,
            configuration: configuration,
            encryptionProbe: probe,
            antivirus: antivirus
        ).addRoutes(to: storageAPI)
    }
}
