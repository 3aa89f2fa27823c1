import Foundation

/// Checks that S3 applied the server-side encryption a write asked for, from the headers it echoes.
///
/// Asking is not enough: a gateway that drops the headers, an endpoint that does not implement SSE, or a bucket
/// policy that swaps the key would store the object otherwise, silently. S3 echoes `x-amz-server-side-encryption`
/// (and, for SSE-KMS, `x-amz-server-side-encryption-aws-kms-key-id`) on PutObject, CreateMultipartUpload,
/// CompleteMultipartUpload, CopyObject and HeadObject ("Protecting data with server-side encryption", S3 docs), so
/// every write checks its answer, object by object; an object that is not confirmed is removed and the write fails.
enum S3EncryptionEcho {
    static let kmsKeyIDHeader = "x-amz-server-side-encryption-aws-kms-key-id"

    /// Why `response` does not confirm every header of `requested` (names and values, never an object key), or nil
    /// when it does.
    static func mismatch(requested: [(name: String, value: String)], response: S3HTTPResponse) -> String? {
        for (name, value) in requested {
            guard let echoed = response.header(name) else { return "\(name) missing from the answer (asked for \(value))" }
            guard matches(name: name, requested: value, echoed: echoed) else { return "\(name) is \(echoed), not \(value)" }
        }
        return nil
    }

    /// Whether `echoed` confirms `requested`. The algorithm must be the same (compared case-insensitively, as S3's
    /// own value check is); a KMS key may be named by id, ARN or alias but is echoed as its ARN, so an id must be the
    /// ARN's `key/…` suffix, and an alias (which only KMS can resolve) accepts any echoed key ARN.
    static func matches(name: String, requested: String, echoed: String) -> Bool {
        let echoed = echoed.trimmingCharacters(in: .whitespaces)
        guard name.lowercased() == kmsKeyIDHeader else { return echoed.lowercased() == requested.lowercased() }
        if echoed == requested || echoed.hasSuffix(":key/\(requested)") { return true }
        let isAlias = requested.hasPrefix("alias/") || requested.contains(":alias/")
        return isAlias && echoed.hasPrefix("arn:") && echoed.contains(":key/")
    }
}
