import Documents
import Foundation

/// The state one self-check run carries from check to check: its own key prefix, the sample object the
/// pre-signed URL, listing and encryption checks share, and what it wrote, so cleanup can prove nothing is left.
///
/// Used by one task, check after check; never shared.
final class SelfCheckRun {
    /// The sample object the later checks read, sign and inspect.
    struct Sample {
        let key: String
        let bytes: [UInt8]
        let contentType: String
    }

    let id: UUID
    /// `temp/{uuid}-`: every key of this run starts with it, and no other run's key does.
    let prefix: String
    var roundTripPassed = false
    var sample: Sample?
    /// What HeadObject said about the multipart object's encryption, for the encryption check.
    var largeFileEncryption: String?
    /// Every key this run wrote, in case a listing misses one.
    var writtenKeys: Set<String> = []

    init(id: UUID) {
        self.id = id
        let probe = KeyLayout.tempKey(documentID: id, fileName: "selftest.txt")
        self.prefix = String(probe.rawValue.dropLast(probe.fileName.count))
    }

    /// The key of this run's object named `name`: `temp/{uuid}-selftest-{name}`.
    func key(_ name: String) -> String {
        KeyLayout.tempKey(documentID: id, fileName: "selftest-\(name)").rawValue
    }
}
