import Foundation
import NIOCore
import Testing

@testable import Scanning

/// The real clamd the tests below run against, if one is named.
enum RealClamd {
    static let address = ProcessInfo.processInfo.environment["MEDVAULT_TEST_CLAMD_URL"].flatMap(ClamdAddress.init(parsing:))
}

/// The client against the real clamd of `scripts/clamd.sh start`, named by `MEDVAULT_TEST_CLAMD_URL` (scripts/test.sh
/// sets it from `.clamd/clamd.env`): clamd's own answers, its test database (EICAR by hash, the suite's marker
/// anywhere) and the limits that script configures.
@Suite(
    "ClamdScanner against the real clamd (MEDVAULT_TEST_CLAMD_URL)",
    .disabled(if: RealClamd.address == nil, "MEDVAULT_TEST_CLAMD_URL is not set (scripts/clamd.sh start writes it to .clamd/clamd.env)")
)
struct RealClamdTests {
    /// The text the `.ndb` test signature of scripts/clamd.sh matches anywhere in a file.
    static let marker = ByteBuffer(string: "MEDVAULT-SCAN-TEST-MARKER-7f3a91c2")

    let scanner: ClamdScanner

    init() throws {
        scanner = ClamdScanner(address: try #require(RealClamd.address))
    }

    @Test func answersPingAndVersion() async throws {
        try await scanner.ping()
        let version = try await scanner.version()
        #expect(version.engine.first?.isNumber == true)
    }

    @Test func refusesTheEICARTestFile() async throws {
        #expect(try await scanner.scan([ByteBuffer(bytes: EICARTestFile.bytes)]) == .infected(signature: "Eicar-Test-Signature.UNOFFICIAL"))
    }

    @Test func passesCleanBytes() async throws {
        #expect(try await scanner.scan([ByteBuffer(string: "Blood pressure 120/80, no findings.\n")]) == .clean)
    }

    @Test func findsATestSignatureInTheLastMegabyteOf40MiB() async throws {
        let megabyte = ByteBuffer(repeating: 0x20, count: 1 << 20)
        var chunks = Array(repeating: megabyte, count: 39)
        var last = ByteBuffer(repeating: 0x20, count: (1 << 20) - Self.marker.readableBytes - 1000)
        last.writeImmutableBuffer(Self.marker)
        last.writeRepeatingByte(0x20, count: 1000)
        chunks.append(last)
        #expect(try await scanner.scan(chunks) == .infected(signature: "MedVault.Test.Marker.UNOFFICIAL"))
    }

    @Test func scansAWhole50MiBProbe() async throws {
        try await scanner.verifyCoverage(upTo: 50 << 20)
    }

    @Test func passesItsOwnHealthCheck() async {
        let check = await scanner.check()
        #expect(check.passed)
        #expect(check.testSignature == "Eicar-Test-Signature.UNOFFICIAL")
    }
}
