import Documents
import Logging
import NIOCore
import Scanning

/// Whether stored bytes are scanned for malware, and by which clamd (DESIGN.md, "Limits and types": every stored byte
/// is scanned when ClamAV is configured, failing closed).
///
/// Every path by which bytes enter storage asks this for its scan: the multipart upload streams each file through a
/// ``ScanSession`` while it stores it, and a path that verifies bytes already in storage (uploads that go straight
/// to storage) scans the object's stream with `ClamdScanner.scan(_:)`. Either way the bytes count
/// as clean only on clamd's `OK`; a finding is ``MalwareFinding`` (422) and anything else 503 `scanner_unavailable`.
package enum Antivirus: Sendable {
    /// `MEDVAULT_CLAMD_URL` is unset: uploads are stored unscanned.
    case off
    /// Every upload is scanned by this clamd and refused when the scan cannot be completed.
    case clamd(ClamdScanner)

    /// Whether uploads are scanned, which their audit rows record (``Audit/UploadAudit``).
    package var scans: Bool {
        if case .clamd = self { true } else { false }
    }

    /// The scanner `settings` describe, or `.off` without settings.
    package init(_ settings: AntivirusSettings?) {
        guard let settings else {
            self = .off
            return
        }
        let timeouts = ClamdScanner.Timeouts(answer: .milliseconds(Int64(settings.timeout * 1000)))
        self = .clamd(ClamdScanner(address: settings.address, timeouts: timeouts))
    }

    /// What `/config` shows as `antivirus`: `clamd`, or `off`.
    var name: String {
        switch self {
        case .off: "off"
        case .clamd: "clamd"
        }
    }

    /// The clamd every upload is scanned by; nil when scanning is off.
    package var scanner: ClamdScanner? {
        guard case .clamd(let scanner) = self else { return nil }
        return scanner
    }

    /// Starts the scan of one file, or returns nil when scanning is off. A scan that cannot start (clamd down) is
    /// 503 `scanner_unavailable`, before anything of the file is stored.
    func startScan() async throws(ScanError) -> ScanSession? {
        guard case .clamd(let scanner) = self else { return nil }
        return try await scanner.startScan()
    }

    /// clamd's health (reachable, version and signatures, the EICAR test file refused); nil when scanning is off.
    package func check() async -> ScannerCheck? {
        guard case .clamd(let scanner) = self else { return nil }
        return await scanner.check()
    }
}

extension Antivirus {
    /// The antivirus of `configuration`, checked before the server takes its first upload: it waits for clamd to
    /// answer (at most `MEDVAULT_CLAMD_START_TIMEOUT`), then streams a probe as large as the largest file medvault
    /// accepts while scanning (``AppConfiguration/enforcedSizeLimits``, videos included) and requires clamd to find the test file at its end (``ScanCoverage``), so that a clamd configured to
    /// skip or refuse large files stops start-up instead of letting them through unscanned. In production without
    /// `MEDVAULT_CLAMD_URL` it warns that uploads are not scanned.
    package static func start(configuration: AppConfiguration, logger: Logger) async throws(AntivirusStartupError) -> Antivirus {
        let antivirus = Antivirus(configuration.antivirus)
        guard case .clamd(let scanner) = antivirus, let settings = configuration.antivirus else {
            if configuration.environment == .production {
                logger.warning("MEDVAULT_CLAMD_URL is not set: uploads are NOT scanned for malware (/config reports antivirus: off)")
            }
            return antivirus
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(settings.startTimeout * 1000))
        while true {
            do {
                try await scanner.ping()
                break
            } catch {
                guard clock.now < deadline else { throw .unreachable(settings.address, error) }
                logger.notice("waiting for clamd", metadata: ["clamd": "\(settings.address)", "error": "\(error.code)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
        let largest = configuration.scanProbeBytes
        let started = clock.now
        do {
            try await scanner.verifyCoverage(upTo: largest)
        } catch {
            throw .coverage(settings.address, error)
        }
        logger.info(
            "antivirus: clamd scans every upload",
            metadata: ["clamd": "\(settings.address)", "probe": "\(largest) bytes scanned whole in \(clock.now - started)"]
        )
        return antivirus
    }
}
