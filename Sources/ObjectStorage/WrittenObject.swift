import Crypto

/// What a finished upload reports: the stored object's metadata and the SHA-256 of the bytes written.
///
/// The writer hashes the bytes as they pass through it, so a caller that needs the digest (the document's
/// `sha256` field) does not make a second pass over them; on the local store the same digest is what the
/// content MAC behind the ETag is taken over (``EncryptedObjectFormat``, version 2).
package struct WrittenObject: Sendable, Equatable {
    /// The object as a HEAD request would now report it.
    package var info: ObjectInfo
    /// SHA-256 of the object's content (the plaintext, whatever the backend stores on disk).
    package var sha256: SHA256.Digest

    /// Pairs the metadata with the digest; every writer fills both.
    package init(info: ObjectInfo, sha256: SHA256.Digest) {
        self.info = info
        self.sha256 = sha256
    }
}
