import Configuration
import Foundation
import ObjectStorage
import Testing

@testable import Server

@Suite("The private data directory and the audit key")
struct DataDirectoryTests {
    private func withParent(_ body: (URL) throws -> Void) throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("medvault-data-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: parent) }
        try body(parent)
    }

    private func mode(_ url: URL) throws -> Int {
        try #require((FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue)
    }

    @Test("a missing directory is created 0700, and an existing private one (or a link to one) is accepted")
    func created() throws {
        try withParent { parent in
            let data = parent.appendingPathComponent("a/b/data")
            try DataDirectory.prepare(data)
            #expect(try mode(data) == 0o700)
            try DataDirectory.prepare(data)
            let link = parent.appendingPathComponent("link")
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: data)
            try DataDirectory.prepare(link)
        }
    }

    @Test("a directory group or others can reach is refused, naming it and the fix", arguments: [0o755, 0o750, 0o705, 0o711, 0o770])
    func exposed(permissions: Int) throws {
        try withParent { parent in
            let data = parent.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: false, attributes: [.posixPermissions: permissions])
            try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: data.path)
            #expect {
                try DataDirectory.prepare(data)
            } throws: { error in
                guard let error = error as? DataDirectoryError else { return false }
                return error.code == "data_directory_permissions" && error.message.contains("chmod 700 \(data.path)")
                    && error.message.contains("mode \(String(permissions, radix: 8))")
            }
            #expect(try mode(data) == permissions, "refused, never silently narrowed")
        }
    }

    @Test("a file where the directory should be is refused")
    func notADirectory() throws {
        try withParent { parent in
            let file = parent.appendingPathComponent("data")
            #expect(FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8)))
            #expect(throws: DataDirectoryError.self) { try DataDirectory.prepare(file) }
        }
    }

    @Test("the audit key: MEDVAULT_AUDIT_KEY if set (no file), else audit.key created 0600 and reused; bad values refused")
    func auditKey() throws {
        try withParent { parent in
            func configuration(_ environment: [String: String]) throws -> AppConfiguration {
                let variables = environment.merging(["MEDVAULT_DATA_DIR": parent.appendingPathComponent("data").path]) { $1 }
                return try AppConfiguration.load(from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: variables)))
            }
            let file = parent.appendingPathComponent("data/audit.key")
            _ = try configuration(["MEDVAULT_AUDIT_KEY": Data(repeating: 4, count: 32).base64EncodedString()]).loadAuditKey()
            #expect(!FileManager.default.fileExists(atPath: file.path))
            _ = try configuration([:]).loadAuditKey()
            #expect(try mode(file) == 0o600)
            #expect(try Data(contentsOf: file).count == 45)
            #expect {
                try configuration(["MEDVAULT_AUDIT_KEY": "c2hvcnQ="]).loadAuditKey()
            } throws: { error in
                guard let error = error as? StorageKeyError else { return false }
                return error.code == "storage_key_invalid" && error.message.hasPrefix("MEDVAULT_AUDIT_KEY must be")
                    && !error.message.contains("c2hvcnQ=")
            }
        }
    }
}
