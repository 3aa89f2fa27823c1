import Crypto
import Foundation
import NIOCore
import SigV4

/// One S3 API call, described before signing; ``S3Client`` signs it afresh for every attempt.
struct S3Operation: Sendable {
    /// The S3 API name (`PutObject`, `UploadPart`, …), for logs and errors.
    var name: String
    /// The HTTP method.
    var method: String
    /// The object key, or nil for a call on the bucket (ListObjectsV2, ListMultipartUploads).
    var key: String?
    /// Decoded query parameters (`uploadId`, `partNumber`, `list-type`, …); sub-resources such as `uploads` have an
    /// empty value.
    var query: [(name: String, value: String)] = []
    /// Headers to send and sign besides those the signer sets (`content-type`, `range`, `x-amz-*`).
    var headers: [(name: String, value: String)] = []
    /// The body, if any: at most one part.
    var body: ByteBuffer?
    /// The body's SHA-256, signed and sent as `x-amz-content-sha256`.
    var payloadHash: PayloadHash = .emptyBody
    /// Whether repeating the call cannot change the outcome (RFC 9110 §9.2.2), so a transient failure is retried.
    var isIdempotent: Bool
    /// The limit of one attempt (``S3Timeouts/request`` or ``S3Timeouts/transfer``).
    var attemptTimeout: Duration

    /// The SHA-256 of `bytes` as the signer wants it (hex) and as `x-amz-checksum-sha256` wants it (base64).
    static func sha256(of bytes: ByteBuffer) -> (payloadHash: PayloadHash, base64: String) {
        var hasher = SHA256()
        bytes.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        let digest = Array(hasher.finalize())
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        // 64 lowercase hex digits always pass; the fallback is unreachable but keeps this free of `try!`.
        let payloadHash = (try? PayloadHash.sha256(hex: String(decoding: hex, as: UTF8.self))) ?? .unsigned
        return (payloadHash, Data(digest).base64EncodedString())
    }
}
