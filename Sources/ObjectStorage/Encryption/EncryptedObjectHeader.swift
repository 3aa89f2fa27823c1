import Crypto
import Foundation

/// The header of an object file (layout in ``EncryptedObjectFormat``), parsed and authenticated.
struct EncryptedObjectHeader: Sendable, Equatable {
    /// The format version: ``EncryptedObjectFormat/currentVersion`` for a new object, the file's own when
    /// read (it is part of the fixed header, hence of every chunk's AAD, so a version-1 file needs it back).
    var version = EncryptedObjectFormat.currentVersion
    /// Random per object: the HKDF salt of its keys.
    var salt: [UInt8]
    /// Random per object: the first 8 bytes of every chunk nonce.
    var noncePrefix: [UInt8]
    /// The content type recorded at upload.
    var contentType: String
    /// The plaintext length; set when the upload finishes.
    var plaintextLength: Int64 = 0
    /// The content MAC (over the plaintext in version 1, over its SHA-256 in version 2); set when the upload
    /// finishes.
    var contentMAC: [UInt8] = [UInt8](repeating: 0, count: 32)

    /// Bytes [0, 58+T): known when the upload starts, authenticated as part of every chunk's AAD.
    var fixedBytes: [UInt8] {
        let type = Array(contentType.utf8)
        var bytes = EncryptedObjectFormat.magic
        bytes += version.bigEndianBytes
        bytes += UInt16(headerLength).bigEndianBytes
        bytes += UInt32(EncryptedObjectFormat.chunkSize).bigEndianBytes
        bytes += salt
        bytes += noncePrefix
        bytes += UInt16(type.count).bigEndianBytes
        bytes += type
        return bytes
    }

    /// H: where chunk 0 starts.
    var headerLength: Int {
        EncryptedObjectFormat.fixedFieldsSize + contentType.utf8.count + EncryptedObjectFormat.trailingFieldsSize
    }

    /// n = max(1, ⌈L / C⌉).
    var chunkCount: Int64 {
        EncryptedObjectFormat.chunkCount(plaintextLength: plaintextLength)
    }

    /// H + L + 16·n: anything else on disk means a truncated or extended file.
    var fileLength: Int64 {
        Int64(headerLength) + plaintextLength + Int64(EncryptedObjectFormat.tagSize) * chunkCount
    }

    /// Where chunk `index` starts in the file.
    func offset(ofChunk index: Int64) -> Int64 {
        Int64(headerLength) + index * Int64(EncryptedObjectFormat.sealedChunkSize)
    }

    /// The plaintext length of chunk `index`.
    func plaintextLength(ofChunk index: Int64) -> Int {
        let start = index * Int64(EncryptedObjectFormat.chunkSize)
        return Int(min(Int64(EncryptedObjectFormat.chunkSize), plaintextLength - start))
    }

    /// The quoted ETag (see ``EncryptedObjectFormat``).
    var etag: String {
        EncryptedObjectFormat.etag(contentMAC: contentMAC)
    }

    /// The complete header with its tag, written at offset 0 when the upload finishes.
    func encoded(headerKey: SymmetricKey) -> [UInt8] {
        var bytes = fixedBytes
        bytes += UInt64(plaintextLength).bigEndianBytes
        bytes += contentMAC
        bytes += Array(HMAC<SHA256>.authenticationCode(for: bytes, using: headerKey))
        return bytes
    }

    /// Parses and authenticates a header from the first bytes of a file (up to
    /// ``EncryptedObjectFormat/maxHeaderSize``); returns it with the object's keys.
    static func decode(_ bytes: [UInt8], masterKey: SymmetricKey) throws(StorageError) -> (EncryptedObjectHeader, EncryptedObjectFormat.ObjectKeys) {
        typealias Format = EncryptedObjectFormat
        var reader = BigEndianReader(bytes)
        guard let magic = reader.bytes(Format.magic.count), magic == Format.magic else {
            throw .integrity("The stored object is not in medvault's format.")
        }
        guard let version = reader.integer(UInt16.self), Format.readableVersions.contains(version) else {
            throw .failure("The stored object uses an unsupported format version.")
        }
        guard let headerLength = reader.integer(UInt16.self),
            let chunkSize = reader.integer(UInt32.self), chunkSize == Format.chunkSize,
            let salt = reader.bytes(Format.saltSize),
            let noncePrefix = reader.bytes(Format.noncePrefixSize),
            let typeLength = reader.integer(UInt16.self), typeLength <= Format.maxContentTypeSize,
            Int(headerLength) == Format.fixedFieldsSize + Int(typeLength) + Format.trailingFieldsSize,
            let typeBytes = reader.bytes(Int(typeLength)),
            let contentType = String(validating: typeBytes, as: UTF8.self),
            let length = reader.integer(UInt64.self), length <= UInt64(Int64.max / 2),
            let contentMAC = reader.bytes(32),
            let tag = reader.bytes(32)
        else {
            throw .integrity()
        }
        let keys = Format.ObjectKeys(masterKey: masterKey, salt: salt)
        let authenticated = bytes[0..<(Int(headerLength) - 32)]
        guard HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: authenticated, using: keys.headerKey) else {
            throw .integrity()
        }
        let header = EncryptedObjectHeader(
            version: version,
            salt: salt,
            noncePrefix: noncePrefix,
            contentType: contentType,
            plaintextLength: Int64(length),
            contentMAC: contentMAC
        )
        return (header, keys)
    }
}

/// Reads big-endian fields off a byte array; nil when the bytes run out.
private struct BigEndianReader {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, bytes.count - position >= count else { return nil }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        guard let field = bytes(MemoryLayout<T>.size) else { return nil }
        return field.reduce(T.zero) { ($0 << 8) | T($1) }
    }
}
