import Crypto
import Foundation

/// The on-disk format of an object in the local store, versions 1 and 2, and the cryptography around it.
///
/// - important: This is a contract for data at rest. A reader must read every file any writer of a version
///   it accepts produced (this one reads versions 1 and 2, and writes 2); a change to anything below needs a
///   new version number.
///
/// The two versions differ only in what the content MAC is taken over: version 1 over the plaintext,
/// version 2 over the plaintext's SHA-256, which the upload computes anyway for the document's `sha256`
/// field, so that every uploaded byte is hashed once instead of twice. Layout, keys, chunking and sealing
/// are the same; the version field is part of the fixed header, so it is authenticated by the header tag
/// and bound into every chunk's AAD. A reader never recomputes the content MAC (it would need the whole
/// plaintext before the first byte could be served): it serves the stored one as the ETag.
///
/// Every object at `<data>/objects/<key>` is one file. All integers are unsigned big-endian.
///
/// ```
/// offset   size  field
/// 0        8     magic "MVLTOBJ\0" (4D 56 4C 54 4F 42 4A 00)
/// 8        2     format version V = 1 or 2
/// 10       2     header length H = 130 + T (bytes before the first chunk)
/// 12       4     chunk size C = 65536 (plaintext bytes per chunk; the only value versions 1 and 2 allow)
/// 16       32    salt: random per object; the HKDF salt of the object's keys
/// 48       8     nonce prefix: random per object
/// 56       2     content type length T (0…255)
/// 58       T     content type, UTF-8
///                ── bytes [0, 58+T) are the "fixed header", known when the upload starts ──
/// 58+T     8     plaintext length L
/// 66+T     32    content MAC = HMAC-SHA256(etag key, plaintext)           if V = 1
///                              HMAC-SHA256(etag key, SHA-256(plaintext))   if V = 2 (the 32-byte digest)
/// 98+T     32    header tag = HMAC-SHA256(header key, bytes [0, 98+T))
/// H        …     chunk 0, chunk 1, …, chunk n−1
/// ```
///
/// The plaintext is cut into n = max(1, ⌈L / C⌉) chunks: all but the last hold exactly C bytes, the last
/// holds the rest (1…C bytes; 0 only for an empty object, which still has its one chunk). Chunk i is stored
/// as its AES-256-GCM ciphertext (as long as its plaintext) followed by the 16-byte GCM tag, sealed with
/// - the object's chunk key,
/// - nonce (12 bytes) = nonce prefix ‖ UInt32(i),
/// - additional authenticated data = fixed header ‖ UInt32(i) ‖ UInt8(1 if i = n−1, else 0).
///
/// The file is exactly H + L + 16·n bytes long. Keys come from the 32-byte master key by HKDF-SHA256 (RFC 5869):
/// - chunk key  = HKDF(master, salt, info "medvault/v1/object/chunk", 32 bytes);
/// - header key = HKDF(master, salt, info "medvault/v1/object/header", 32 bytes);
/// - etag key   = HKDF(master, no salt, info "medvault/v1/etag", 32 bytes), the same for every object.
/// The "v1" in these labels names the key derivation, which version 2 keeps unchanged.
///
/// Each of these is reported as `storage_integrity`: a changed byte anywhere (header tag or a chunk's tag),
/// a truncated or extended file (the length check, and the final-chunk flag behind it), reordered chunks
/// (the index is in the nonce and the AAD), a chunk taken from another object (another salt, so another key),
/// a different master key (the header tag). The object's key (its path) is deliberately not bound, so `move`
/// can be a plain `rename`; an attacker who can write the disk could swap two whole objects.
///
/// The ETag is `"` + the first 32 hex digits of the content MAC + `"`: it changes when the content changes and
/// is equal for equal content under one master key and one format version (the same content stored as version
/// 1 and as version 2 has two ETags; an ETag only promises to change when the content does). It is a keyed
/// hash rather than a bare SHA-256 so that someone holding only the disk, or only an ETag, cannot confirm a
/// guess of a document's content; in version 2 the key still covers the digest, so that holds unchanged.
enum EncryptedObjectFormat {
    /// "MVLTOBJ\0": identifies a medvault object file.
    static let magic: [UInt8] = [0x4D, 0x56, 0x4C, 0x54, 0x4F, 0x42, 0x4A, 0x00]
    /// The version writers produce: the content MAC is taken over the plaintext's SHA-256.
    static let currentVersion: UInt16 = 2
    /// The versions readers accept; version 1 files (content MAC over the plaintext) stay readable.
    static let readableVersions: ClosedRange<UInt16> = 1...2
    /// Plaintext bytes per chunk; also the largest buffer a read yields.
    static let chunkSize = 65_536
    /// The GCM tag after each chunk's ciphertext.
    static let tagSize = 16
    /// A full chunk as stored: ciphertext ‖ tag.
    static let sealedChunkSize = chunkSize + tagSize
    /// The per-object HKDF salt.
    static let saltSize = 32
    /// The random part of each chunk's nonce.
    static let noncePrefixSize = 8
    /// The longest content type the header holds (RFC 6838 types are far shorter).
    static let maxContentTypeSize = 255
    /// Bytes of the fixed header before the content type.
    static let fixedFieldsSize = 58
    /// Bytes of the header after the fixed header: length, content MAC, header tag.
    static let trailingFieldsSize = 72
    /// The longest possible header, which is what a reader fetches first.
    static let maxHeaderSize = fixedFieldsSize + maxContentTypeSize + trailingFieldsSize

    /// The per-object keys.
    struct ObjectKeys: Sendable {
        let chunkKey: SymmetricKey
        let headerKey: SymmetricKey

        init(masterKey: SymmetricKey, salt: [UInt8]) {
            chunkKey = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: masterKey,
                salt: salt,
                info: Array("medvault/v1/object/chunk".utf8),
                outputByteCount: 32
            )
            headerKey = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: masterKey,
                salt: salt,
                info: Array("medvault/v1/object/header".utf8),
                outputByteCount: 32
            )
        }
    }

    /// The key of the content MAC, shared by all objects so that equal content has an equal ETag.
    static func etagKey(masterKey: SymmetricKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Array("medvault/v1/etag".utf8), outputByteCount: 32)
    }

    /// The version-2 content MAC: HMAC-SHA256(etag key, SHA-256(plaintext)), from the digest the upload made.
    static func contentMAC(plaintextDigest: SHA256.Digest, etagKey: SymmetricKey) -> [UInt8] {
        plaintextDigest.withUnsafeBytes { Array(HMAC<SHA256>.authenticationCode(for: $0, using: etagKey)) }
    }

    /// The number of chunks an object of `plaintextLength` bytes has.
    static func chunkCount(plaintextLength: Int64) -> Int64 {
        max(1, (plaintextLength + Int64(chunkSize) - 1) / Int64(chunkSize))
    }

    /// The nonce of chunk `index`: prefix ‖ UInt32(index).
    static func nonce(prefix: [UInt8], index: UInt32) throws(StorageError) -> AES.GCM.Nonce {
        do {
            return try AES.GCM.Nonce(data: prefix + index.bigEndianBytes)
        } catch {
            throw .integrity(underlying: error)
        }
    }

    /// The additional authenticated data of chunk `index`: fixed header ‖ UInt32(index) ‖ final flag.
    static func additionalData(fixedHeader: [UInt8], index: UInt32, isFinal: Bool) -> [UInt8] {
        fixedHeader + index.bigEndianBytes + [isFinal ? 1 : 0]
    }

    /// Encrypts one chunk and appends ciphertext ‖ tag to `output`, the run of chunks that goes to the file
    /// in one write (a buffer reserved once, so the chunk is copied once out of the sealed box).
    static func sealChunk(
        _ plaintext: ArraySlice<UInt8>,
        index: UInt32,
        isFinal: Bool,
        fixedHeader: [UInt8],
        noncePrefix: [UInt8],
        key: SymmetricKey,
        into output: inout [UInt8]
    ) throws(StorageError) {
        let nonce = try nonce(prefix: noncePrefix, index: index)
        do {
            let box = try AES.GCM.seal(
                plaintext,
                using: key,
                nonce: nonce,
                authenticating: additionalData(fixedHeader: fixedHeader, index: index, isFinal: isFinal)
            )
            output.append(contentsOf: box.ciphertext)
            output.append(contentsOf: box.tag)
        } catch {
            throw .failure("The object could not be encrypted.", underlying: error)
        }
    }

    /// Authenticates and decrypts one chunk (ciphertext ‖ tag); `storage_integrity` when anything is off.
    static func openChunk(
        _ sealed: ArraySlice<UInt8>,
        index: UInt32,
        isFinal: Bool,
        fixedHeader: [UInt8],
        noncePrefix: [UInt8],
        key: SymmetricKey
    ) throws(StorageError) -> Data {
        guard sealed.count >= tagSize else { throw .integrity() }
        let nonce = try nonce(prefix: noncePrefix, index: index)
        do {
            let box = try AES.GCM.SealedBox(nonce: nonce, ciphertext: sealed.dropLast(tagSize), tag: sealed.suffix(tagSize))
            return try AES.GCM.open(box, using: key, authenticating: additionalData(fixedHeader: fixedHeader, index: index, isFinal: isFinal))
        } catch {
            throw .integrity(underlying: error)
        }
    }

    /// The quoted ETag for a content MAC: its first 16 bytes in lower-case hex.
    static func etag(contentMAC: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\"")]
        for byte in contentMAC.prefix(16) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        text.append(UInt8(ascii: "\""))
        return String(decoding: text, as: UTF8.self)
    }
}

extension FixedWidthInteger {
    /// The integer's bytes, most significant first, as the format writes every integer.
    var bigEndianBytes: [UInt8] {
        withUnsafeBytes(of: bigEndian) { Array($0) }
    }
}
