import CMagic
import Foundation

/// Asks libmagic what a buffer of bytes is, as a MIME type such as `image/png` (libmagic(3), `MAGIC_MIME_TYPE`).
///
/// The database is opened and loaded once, at start-up: ``init(databasePath:)`` throws if it cannot load, so the
/// server fails fast instead of accepting uploads it cannot check.
///
/// - important: A `magic_t` cookie is not thread-safe. Every call goes through one lock; sniffing a 64 KiB
///   head takes well under a millisecond, so one cookie serves many concurrent uploads.
package final class MagicSniffer: @unchecked Sendable {
    // Only touched while `lock` is held (and in init/deinit, which run alone).
    private let cookie: OpaquePointer
    private let lock = NSLock()

    /// Opens libmagic in MIME-type mode and loads `databasePath` (the system database when `nil`).
    ///
    /// - Throws: ``MagicSnifferError`` when libmagic cannot be opened or the database cannot be loaded.
    package init(databasePath: String? = nil) throws(MagicSnifferError) {
        guard let cookie = magic_open(MAGIC_MIME_TYPE) else { throw MagicSnifferError(.openFailed, detail: nil) }
        let status = databasePath.map { magic_load(cookie, $0) } ?? magic_load(cookie, nil)
        guard status == 0 else {
            let detail = magic_error(cookie).map { String(cString: $0) }
            magic_close(cookie)
            throw MagicSnifferError(.loadFailed, detail: detail)
        }
        self.cookie = cookie
    }

    deinit {
        magic_close(cookie)
    }

    /// The MIME type libmagic reports for `bytes` (e.g. `application/pdf`, `application/x-empty` for no bytes),
    /// or `application/octet-stream` if libmagic fails on this buffer.
    package func mimeType(of bytes: UnsafeRawBufferPointer) -> String {
        lock.withLock {
            let result: UnsafePointer<CChar>?
            if let base = bytes.baseAddress, !bytes.isEmpty {
                result = magic_buffer(cookie, base, bytes.count)
            } else {
                var empty: UInt8 = 0
                result = magic_buffer(cookie, &empty, 0)
            }
            return result.map { String(cString: $0) } ?? "application/octet-stream"
        }
    }

    /// The libmagic version (e.g. 544 for 5.44), for the configuration endpoint and self-check page.
    package static var libraryVersion: Int { Int(magic_version()) }
}
