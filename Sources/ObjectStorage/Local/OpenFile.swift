/// An open, read-only file descriptor that is closed when the last reference goes away.
///
/// A read hands its body to the HTTP layer, which may iterate it much later, twice, or never; tying the
/// descriptor's lifetime to the body's makes all three safe. Holding the descriptor also means a
/// download in progress keeps reading the object it started with even if it is moved or deleted meanwhile.
final class OpenFile: Sendable {
    /// The descriptor; only used with position-independent calls (`pread`, `fstat`), so sharing is safe.
    let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        POSIXFileSystem.closeFile(descriptor)
    }
}
