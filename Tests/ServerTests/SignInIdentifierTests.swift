import Audit
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import Persistence
import Testing

@testable import Server

/// What the audit trail keeps of an identifier typed at sign-in that names no account: a keyed hash, never the
/// text (people type their password into the e-mail field).
@Suite struct SignInIdentifierTests {
    private static let key = Data((0..<32).map { UInt8($0) })

    /// The expected detail, computed here independently of the server's code.
    private static func detail(for identifier: String, key: Data) -> String {
        let normalized = identifier.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let mac = HMAC<SHA256>.authenticationCode(for: Data(normalized.utf8), using: SymmetricKey(data: key))
        return "unknown account hmac:" + mac.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    @Test func aPasswordTypedIntoTheEmailFieldIsRecordedAsAKeyedHash() async throws {
        let harness = AuthHarness(["MEDVAULT_IDENTIFIER_KEY": Self.key.base64EncodedString()])
        defer { harness.removeDirectory() }
        let typed = "Hunter2-Secret!"
        try await harness.withApp { client async throws in
            let browser = Browser(client)
            #expect(try await browser.signIn(email: typed, password: "whatever").status == .unauthorized)
            #expect(try await browser.signIn(email: "  hunter2-SECRET! ", password: "whatever").status == .unauthorized)
            #expect(try await browser.signIn(email: "someone@example.test", password: "whatever").status == .unauthorized)
        }
        let denied = try await harness.auditRows(AuditQuery(action: .authSignIn, outcome: .denied))
        #expect(denied.map(\.entry.detail) == [typed, typed, "someone@example.test"].map { Self.detail(for: $0, key: Self.key) })
        #expect(denied[0].entry.detail != denied[2].entry.detail)
        let everything = try await harness.auditRows(AuditQuery())
        for row in everything {
            let text = [row.entry.detail, row.entry.actorID, row.entry.reason, row.entry.documentKey].compactMap { $0 }.joined(separator: " ")
            #expect(!text.lowercased().contains("hunter2"), "row \(row.sequence) keeps what was typed")
            #expect(!text.contains("someone@example.test"))
        }
        // The key is configuration, not a file in the data directory (and never in the database).
        #expect(!FileManager.default.fileExists(atPath: try harness.configuration().dataDirectory.appendingPathComponent("identifier.key").path))
    }

    @Test func withoutAConfiguredKeyAPrivateKeyFileIsGeneratedAndKept() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            _ = try await Browser(client).signIn(email: "nobody@example.test", password: "x")
        }
        let keyFile = try harness.configuration().dataDirectory.appendingPathComponent("identifier.key")
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let base64 = try String(contentsOf: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let key = try #require(Data(base64Encoded: base64))
        // A restart reuses the file: the same identifier gives the same hash.
        try await harness.withApp { client async throws in
            _ = try await Browser(client).signIn(email: "nobody@example.test", password: "x")
        }
        let details = try await harness.auditRows(AuditQuery(action: .authSignIn, outcome: .denied)).map(\.entry.detail)
        #expect(details == Array(repeating: Self.detail(for: "nobody@example.test", key: key), count: 2))
    }

    @Test func aKeyThatIsNotThirtyTwoBytesOfBase64StopsStartUp() async throws {
        for bad in ["short", Data(repeating: 1, count: 16).base64EncodedString()] {
            let harness = AuthHarness(["MEDVAULT_IDENTIFIER_KEY": bad])
            defer { harness.removeDirectory() }
            await #expect {
                try await harness.withApp { _ async throws in }
            } throws: { error in
                "\(error)".contains("MEDVAULT_IDENTIFIER_KEY") && !"\(error)".contains(bad)
            }
        }
    }
}
