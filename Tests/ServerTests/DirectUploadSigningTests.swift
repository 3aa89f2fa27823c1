import Crypto
import Documents
import Foundation
import ObjectStorage
import Persistence
import SigV4
import Testing

@testable import Server

@Suite("Direct uploads: part plans and the signing of part URLs")
struct DirectUploadSigningTests {
    static let date = Date(timeIntervalSince1970: 1_796_600_000)
    static let mib: Int64 = 1024 * 1024

    static func urls() throws -> LocalPresignedURLs {
        try LocalPresignedURLs(
            baseURL: URL(string: "http://127.0.0.1:8080")!,
            region: "us-east-1",
            masterKey: SymmetricKey(data: [UInt8](repeating: 7, count: 32))
        )
    }

    static func session(size: Int64, sha256: String? = nil, expiresIn seconds: TimeInterval = 900) -> UploadSessionRecord {
        let id = UUID(uuidString: "0F8FAD5B-D9CB-469F-A165-70867728950E")!
        return UploadSessionRecord(
            id: id,
            stagingKey: "quarantine/\(id.lowercaseText)",
            documentKey: "patients/P1/imaging/\(id.lowercaseText)-scan.pdf",
            fileName: "scan.pdf",
            size: size,
            sha256: sha256,
            category: .imaging,
            entityType: .patient,
            entityID: "P1",
            partSize: 8 * mib,
            partCount: UploadPartPlan(size: size, partSize: 8 * mib).partCount,
            createdBy: "user-1",
            createdAt: date,
            expiresAt: date.addingTimeInterval(seconds)
        )
    }

    /// Verifies a PUT through `url` as ``StagedObjectController`` does, with `headers` sent.
    static func verify(
        _ url: String,
        headers: [(name: String, value: String)],
        with urls: LocalPresignedURLs,
        at now: Date = date
    ) throws
        -> PresignedURLVerifier.Verification
    {
        let parts = try #require(URLComponents(string: url))
        return try urls.verifier.verify(
            method: "PUT",
            rawPath: parts.percentEncodedPath,
            rawQuery: parts.percentEncodedQuery ?? "",
            headers: [(name: "host", value: "127.0.0.1:8080")] + headers,
            now: now
        )
    }

    @Test("one part up to the part size, else full parts and the rest in the last")
    func plans() {
        let mib = Self.mib
        #expect(UploadPartPlan(size: 1, partSize: 8 * mib).partCount == 1)
        #expect(!UploadPartPlan(size: 8 * mib, partSize: 8 * mib).isMultipart)
        let plan = UploadPartPlan(size: 20 * mib + 5, partSize: 8 * mib)
        #expect(plan.isMultipart && plan.partCount == 3)
        #expect([1, 2, 3].map { plan.length(ofPart: $0) } == [8 * mib, 8 * mib, 4 * mib + 5])
        #expect(plan.length(ofPart: 0) == nil && plan.length(ofPart: 4) == nil)
    }

    @Test("a one-part URL signs the exact length and the declared checksum, and lists the checksum header")
    func signsLengthAndChecksum() throws {
        let urls = try Self.urls()
        let digest = SHA256.hash(data: Data("medvault".utf8))
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        let session = Self.session(size: 8, sha256: hex)
        let signer = PartURLSigner(issuer: urls, lifetime: 900)
        let part = try #require(try signer.urls(for: session, partNumbers: [1], date: Self.date).first)
        let checksum = Data(digest).base64EncodedString()
        #expect(part.partNumber == 1 && part.headers == ["x-amz-checksum-sha256": checksum])
        #expect(part.url.hasPrefix("http://127.0.0.1:8080/api/v2/aws/s3/objects/quarantine/\(session.id.lowercaseText)?"))
        let sent = [(name: "content-length", value: "8"), (name: "x-amz-checksum-sha256", value: checksum)]
        let verified = try Self.verify(part.url, headers: sent, with: urls)
        #expect(verified.signedHeaders == ["content-length", "host", "x-amz-checksum-sha256"])
        #expect(throws: SigV4VerificationError.self, "another length breaks the signature") {
            try Self.verify(part.url, headers: [(name: "content-length", value: "9"), sent[1]], with: urls)
        }
        #expect(throws: SigV4VerificationError.self, "another checksum breaks the signature") {
            try Self.verify(part.url, headers: [sent[0], (name: "x-amz-checksum-sha256", value: "AAAA")], with: urls)
        }
    }

    @Test("URLs never outlive their session, nor the configured lifetime")
    func expiry() throws {
        let urls = try Self.urls()
        let signer = PartURLSigner(issuer: urls, lifetime: 900)
        let late = Self.date.addingTimeInterval(890)
        let part = try #require(try signer.urls(for: Self.session(size: 8), partNumbers: [1], date: late).first)
        #expect(part.url.contains("X-Amz-Expires=10&"))
        _ = try Self.verify(part.url, headers: [(name: "content-length", value: "8")], with: urls, at: late.addingTimeInterval(9))
        #expect(throws: SigV4VerificationError.self) {
            try Self.verify(part.url, headers: [(name: "content-length", value: "8")], with: urls, at: late.addingTimeInterval(11))
        }
        let long = try #require(
            try PartURLSigner(issuer: urls, lifetime: 60).urls(for: Self.session(size: 8), partNumbers: [1], date: Self.date).first
        )
        #expect(long.url.contains("X-Amz-Expires=60&"))
    }

    @Test("part numbers outside the plan are not signed; a digest that is not 64 hex digits signs no checksum")
    func outsideThePlan() throws {
        let signer = PartURLSigner(issuer: try Self.urls(), lifetime: 900)
        #expect(try signer.urls(for: Self.session(size: 8), partNumbers: [0, 2], date: Self.date).isEmpty)
        #expect(PartURLSigner.base64Digest("abc") == nil)
        #expect(PartURLSigner.base64Digest(String(repeating: "zz", count: 32)) == nil)
        #expect(PartURLSigner.base64Digest(String(repeating: "00", count: 32)) == Data(count: 32).base64EncodedString())
    }
}
