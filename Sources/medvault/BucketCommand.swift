import ArgumentParser
import Foundation
import Logging
import ObjectStorage
import Server

/// `medvault bucket setup|check`: configures the S3 buckets for medvault (CORS for direct uploads, Block Public Access,
/// default encryption, versioning, lifecycle), or reads each setting back and exits 1 when one drifted: the documents
/// bucket, then every bucket of `MEDVAULT_BUCKET_ROUTES`. Both print one line per bucket and setting. On the local store there is no bucket: both say so and exit 0.
struct BucketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bucket",
        abstract: "Configure the S3 bucket for medvault, or check its configuration.",
        subcommands: [Setup.self, Check.self]
    )

    struct Setup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write CORS, Block Public Access, default encryption, versioning and lifecycle to the bucket; prints each."
        )

        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            try await BucketCommand.run(data) { store, bucket, desired, logger in
                await store.applyBucketSettings(desired, bucket: bucket, logger: logger)
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read each bucket setting back; exits 1 naming every setting that differs from what setup writes.",
            discussion: "A setting the server does not implement is printed as not supported and does not fail the check."
        )

        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            try await BucketCommand.run(data) { store, bucket, desired, logger in
                await store.checkBucketSettings(desired, bucket: bucket, logger: logger)
            }
        }
    }

    /// Opens the configured store and runs `body` on it when it is S3; prints the reports and exits 1 when one is a
    /// problem.
    static func run(
        _ data: DataDirectoryOption,
        _ body: (S3ObjectStore, String, BucketConfiguration, Logger) async -> [BucketSettingReport]
    ) async throws {
        let configuration = try data.loadConfiguration()
        // Every outcome is printed; the store's own error lines would repeat them.
        let logger = Logger.command("medvault.bucket", defaultLevel: .critical)
        let composition = try CommandLineContext.openStorage(configuration)
        let reports: [BucketSettingReport]
        do {
            reports = try await Self.reports(configuration: configuration, access: composition.access, logger: logger, body)
        } catch {
            try? await composition.shutdown?()
            throw error
        }
        try? await composition.shutdown?()
        for report in reports { print(report.line) }
        if reports.contains(where: \.outcome.isProblem) { throw ExitCode(1) }
    }

    /// The reports of `body` on an S3 store; none, after saying why, on the local store.
    private static func reports(
        configuration: AppConfiguration,
        access: StorageAccess,
        logger: Logger,
        _ body: (S3ObjectStore, String, BucketConfiguration, Logger) async -> [BucketSettingReport]
    ) async throws -> [BucketSettingReport] {
        guard case .ready(let store) = access else {
            throw CommandLineContext.fail("document storage is disabled or not configured")
        }
        guard let s3 = store as? S3ObjectStore else {
            print("the local store keeps documents under the data directory: there is no bucket to configure")
            return []
        }
        let desired: BucketConfiguration
        do {
            desired = try configuration.bucketConfiguration(uploadHeaders: s3.putObjectHeaders.map(\.name))
        } catch {
            throw CommandLineContext.fail("\(error)")
        }
        var reports: [BucketSettingReport] = []
        for bucket in s3.buckets { reports += await body(s3, bucket, desired, logger) }
        return reports
    }
}
