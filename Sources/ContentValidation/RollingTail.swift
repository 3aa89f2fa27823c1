/// The last `capacity` bytes of a stream, kept while it passes through, for checks that need the end of a
/// file (the ZIP central directory of .docx/.xlsx).
///
/// Storage grows to at most twice the capacity before old bytes are dropped, so each byte is copied O(1) times.
struct RollingTail {
    let capacity: Int
    private var storage: [UInt8] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count >= capacity {
            storage = Array(bytes.suffix(capacity))
            return
        }
        storage.append(contentsOf: bytes)
        if storage.count > 2 * capacity { storage.removeFirst(storage.count - capacity) }
    }

    /// At most `capacity` bytes: the end of everything appended so far.
    var bytes: ArraySlice<UInt8> { storage.suffix(capacity) }
}
