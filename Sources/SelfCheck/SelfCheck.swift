import Foundation
import Logging
import ObjectStorage
import Scanning

/// The storage self-check behind `/test/s3` and `medvault selftest`: it proves, against the configured
/// backend, that medvault can store, serve, sign, list, encrypt and clean up documents.
///
/// Eleven checks run in order (``SelfCheckStep``), each timed: feature flag, configuration, write/read/delete round
/// trip, pre-signed URL fetched with a real GET, a 1-second URL refused after it expired, a tampered URL refused,
/// listing and metadata, a 12 MiB object (a multipart upload on S3) with a SHA-256 comparison, encryption read back
/// from the objects' headers, the antivirus (clamd refusing the EICAR test file), and cleanup. Checks that need a store are skipped when there is none, and those that
/// need a working store when the round trip failed.
///
/// Every run writes under its own `temp/{uuid}-` prefix (keys from `KeyLayout.tempKey`), so concurrent runs do not
/// collide, and removes everything it wrote. Results never carry secrets (see ``CheckResult/detail``).
package struct SelfCheck: Sendable {
    let settings: SelfCheckSettings
    let storage: StorageAccess
    let presignedURLs: (any PresignedURLIssuer)?
    /// The clamd uploads are scanned by; nil when scanning is off.
    let clamd: ClamdScanner?
    /// The CloudFront signing the downloads use, whose key the configuration check exercises; nil without it.
    let cloudFront: CloudFrontURLs?
    let fetcher: PresignedURLFetcher
    let now: @Sendable () -> Date
    let missingS3Settings: [String]
    /// How long the expiry check waits after signing a 1-second URL.
    let expiryWait: Duration

    /// A self-check of `storage` as `settings` describe it.
    ///
    /// - Parameters:
    ///   - presignedURLs: the issuer the download endpoint uses (S3's URLs, or the local store's URLs to medvault).
    ///   - clamd: the scanner uploads go through, or nil when scanning is off.
    ///   - cloudFront: the CloudFront signing of some categories' downloads, if configured.
    ///   - fetcher: makes the real GETs of the pre-signed URLs.
    ///   - now: the wall clock the URLs are signed with; S3 judges expiry by its own clock, so pass the real one.
    ///   - environment: the process environment, only to name which S3 variables are missing when S3 is not
    ///     configured (the configuration keeps no trace of a partial set); only the names are read.
    package init(
        settings: SelfCheckSettings,
        storage: StorageAccess,
        presignedURLs: (any PresignedURLIssuer)?,
        clamd: ClamdScanner? = nil,
        cloudFront: CloudFrontURLs? = nil,
        fetcher: PresignedURLFetcher = PresignedURLFetcher(),
        now: @escaping @Sendable () -> Date = Date.init,
        environment: [String: String] = [:],
        expiryWait: Duration = .seconds(2)
    ) {
        self.settings = settings
        self.storage = storage
        self.presignedURLs = presignedURLs
        self.clamd = clamd
        self.cloudFront = cloudFront
        self.fetcher = fetcher
        self.now = now
        self.missingS3Settings = settings.s3 == nil ? S3SettingsPresence.missing(in: environment) : []
        self.expiryWait = expiryWait
    }

    /// Runs every check in order and returns their results; it never throws, a problem is a failed check.
    package func run(logger: Logger) async -> SelfCheckReport {
        let startedAt = now()
        let run = SelfCheckRun(id: UUID())
        var results: [CheckResult] = []
        let clock = ContinuousClock()
        for step in SelfCheckStep.allCases {
            let started = clock.now
            let (status, detail) = await outcome(of: step, in: run, logger: logger)
            if step == .roundTrip { run.roundTripPassed = status == .pass }
            results.append(CheckResult(id: step.id, name: step.name, status: status, duration: clock.now - started, detail: detail))
        }
        let backend: String =
            switch storage {
            case .ready(let store): "\(store.summary.backend) (\(store.summary.location))"
            case .disabled: "storage disabled"
            case .notConfigured: "storage not configured"
            }
        let report = SelfCheckReport(results: results, startedAt: startedAt, backend: backend)
        logger.info("storage self-check finished", metadata: ["summary": "\(report.auditDetail)"])
        return report
    }

    /// One check's verdict, or its skip when what it needs is missing.
    private func outcome(of step: SelfCheckStep, in run: SelfCheckRun, logger: Logger) async -> (CheckResult.Status, String) {
        let store: (any ObjectStore)?
        if case .ready(let ready) = storage { store = ready } else { store = nil }
        switch step.requirement {
        case .nothing:
            break
        case .storage, .roundTrip:
            guard store != nil else { return (.skip, "Skipped: no storage to check (see feature flag and configuration).") }
            if step.requirement == .roundTrip, !run.roundTripPassed {
                return (.skip, "Skipped: the write/read/delete round trip failed.")
            }
        }
        do throws(SelfCheckFailure) {
            return (.pass, try await perform(step, store: store, run: run, logger: logger))
        } catch {
            if let underlying = error.underlying {
                logger.warning("self-check failed", metadata: ["check": "\(step.id)", "error": "\(String(reflecting: underlying))"])
            }
            return (.fail, error.detail)
        }
    }

    private func perform(
        _ step: SelfCheckStep,
        store: (any ObjectStore)?,
        run: SelfCheckRun,
        logger: Logger
    ) async throws(SelfCheckFailure) -> String {
        switch (step, store) {
        case (.featureFlag, _): return try checkFeatureFlag()
        case (.configuration, _): return try checkConfiguration()
        case (.antivirus, _): return try await checkAntivirus()
        case (_, nil): throw SelfCheckFailure("No storage to check.")
        case (.roundTrip, let store?): return try await checkRoundTrip(store, run: run, logger: logger)
        case (.presignedURL, let store?): return try await checkPresignedURL(store, run: run, logger: logger)
        case (.presignedURLExpiry, let store?): return try await checkExpiry(store, run: run, logger: logger)
        case (.tamperedURL, let store?): return try await checkTamperedURL(store, run: run, logger: logger)
        case (.listingAndMetadata, let store?): return try await checkListing(store, run: run, logger: logger)
        case (.largeFile, let store?): return try await checkLargeFile(store, run: run, logger: logger)
        case (.encryption, let store?): return try await checkEncryption(store, run: run, logger: logger)
        case (.cleanup, let store?): return try await checkCleanup(store, run: run, logger: logger)
        }
    }
}
