import Archive
import Crypto
import Foundation
import NIOCore

/// What an export learns about a document's bytes as they stream past, in one pass: the CRC-32 its ZIP entry needs,
/// the SHA-1 a FHIR R4 `Attachment.hash` holds, the SHA-256 checked against the index, and the byte count.
struct ExportDigests {
    private var crc = CRC32()
    private var sha1 = Insecure.SHA1()
    private var sha256 = SHA256()
    /// Bytes seen so far.
    private(set) var count: UInt64 = 0

    /// Adds `buffer`'s readable bytes.
    mutating func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes in
            crc.update(bytes)
            sha1.update(bufferPointer: bytes)
            sha256.update(bufferPointer: bytes)
        }
        count += UInt64(buffer.readableBytes)
    }

    /// The CRC-32 of everything added.
    var crc32: UInt32 { crc.value }

    /// The SHA-1 (base64) and SHA-256 (lowercase hex) of everything added.
    func finalize() -> (sha1Base64: String, sha256Hex: String) {
        let sha1Digest = Data(sha1.finalize()).base64EncodedString()
        let sha256Digest = sha256.finalize().map { String(format: "%02x", $0) }.joined()
        return (sha1Digest, sha256Digest)
    }
}
