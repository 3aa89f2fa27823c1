import NIOCore

/// A streaming upload in progress: bytes go out as they come in, nothing is visible under the key until
/// ``finish()`` succeeds, and ``abort()`` removes every trace.
///
/// Call the methods one after another (not concurrently), then exactly one of `finish` or `abort`.
/// A writer that threw from `write` has already cleaned up after itself; `abort` is still allowed.
package protocol ObjectWriter: AnyObject, Sendable {
    /// Sends the next bytes of the object.
    func write(_ chunk: ByteBuffer) async throws(StorageError)

    /// Commits the object atomically under its key and returns what is now stored, with the SHA-256 of
    /// every byte passed to ``write(_:)``.
    func finish() async throws(StorageError) -> WrittenObject

    /// Abandons the upload and removes whatever was written; never throws, safe to call twice.
    func abort() async
}
