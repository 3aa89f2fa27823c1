import ContentValidation
import Crypto
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage
import Persistence
import Scanning
import Testing

@testable import Server

/// ``FileUpload`` with an antivirus: nothing is stored when clamd cannot be reached, and, against the real clamd of
/// `scripts/clamd.sh` (`MEDVAULT_TEST_CLAMD_URL`), a finding in the last bytes of a file surfaces as
/// ``MalwareFinding`` while a clean file is stored as ever.
@Suite struct FileUploadScanTests {
    static let realClamd = ProcessInfo.processInfo.environment["MEDVAULT_TEST_CLAMD_URL"].flatMap(ClamdAddress.init(parsing:))
    /// The text the `.ndb` test signature of scripts/clamd.sh matches anywhere in a file.
    static let marker = "MEDVAULT-SCAN-TEST-MARKER-7f3a91c2"

    static func antivirus(_ address: ClamdAddress) -> Antivirus {
        Antivirus(AntivirusSettings(address: address, timeout: 10, startTimeout: 1))
    }

    /// A PDF of about `size` bytes whose last line is `lastLine`.
    static func pdf(size: Int, lastLine: String) -> [UInt8] {
        var body = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".utf8)
        let filler = Array("% filler line of a longer report\n".utf8)
        while body.count < size { body += filler }
        return body + Array("\(lastLine)\n%%EOF\n".utf8)
    }

    /// Streams `body` through a fresh upload into a local store under `directory` and finishes it.
    static func upload(_ body: [UInt8], antivirus: Antivirus, directory: URL) async throws -> DocumentRecord {
        try await FileUploadRun.upload(body, antivirus: antivirus, directory: directory).record
    }

    static func withDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("file-upload-scan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    @Test("clamd unreachable: the upload fails before anything is written")
    func unreachableScannerStoresNothing() async throws {
        try await Self.withDirectory { directory in
            let antivirus = Self.antivirus(.unix(path: "/tmp/no-clamd-\(UUID().uuidString.prefix(8)).sock"))
            let error = await #expect(throws: ScanError.self) {
                _ = try await Self.upload(Self.pdf(size: 200_000, lastLine: "% clean"), antivirus: antivirus, directory: directory)
            }
            #expect(error?.code == "clamd_unreachable")
            #expect(FileUploadTests.files(under: directory) == [])
        }
    }

    @Test("a clean file is scanned and stored", .enabled(if: realClamd != nil, "MEDVAULT_TEST_CLAMD_URL is not set"))
    func cleanFileIsStored() async throws {
        try await Self.withDirectory { directory in
            let body = Self.pdf(size: 3_000_000, lastLine: "% nothing to see")
            let record = try await Self.upload(body, antivirus: Self.antivirus(try #require(Self.realClamd)), directory: directory)
            #expect(record.size == Int64(body.count))
            #expect(record.sha256 == SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined())
        }
    }

    @Test("a test signature in the last bytes of a file is a finding", .enabled(if: realClamd != nil, "MEDVAULT_TEST_CLAMD_URL is not set"))
    func findingInTheLastBytes() async throws {
        try await Self.withDirectory { directory in
            let body = Self.pdf(size: 3_000_000, lastLine: "% \(Self.marker)")
            let finding = await #expect(throws: MalwareFinding.self) {
                _ = try await Self.upload(body, antivirus: Self.antivirus(try #require(Self.realClamd)), directory: directory)
            }
            #expect(finding?.signature == "MedVault.Test.Marker.UNOFFICIAL")
            #expect(finding?.key.hasPrefix("patients/P-1/lab-results/") == true)
            #expect(finding.map { "\($0)" } == "malware_detected", "the signature stays out of the error's description, and so out of logs")
        }
    }
}
