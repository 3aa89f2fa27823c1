/// A file as the upload inspector keeps it for the directory readers: its first bytes, its last bytes and its size,
/// with a hole in between for large files.
///
/// Input: two bytes giving the head's length, two giving the length of the hole in 128-byte units (up to 8 MiB),
/// then the bytes kept.
/// With no hole the tail is the whole file, as for a file smaller than the inspector's tail; with a hole, the tail
/// is what follows the head and the file is that much larger than what was kept, as for a large upload. So small
/// inputs reach the "directory not buffered" paths and the size-dependent bounds (chain lengths) of real files.
struct ArchiveWindow {
    let head: [UInt8]
    let tail: ArraySlice<UInt8>
    let totalSize: Int

    init(_ input: inout FuzzInput) {
        let headLength = input.uint16()
        let hole = input.uint16() * 128
        let kept = input.rest()
        let head = Array(kept.prefix(headLength))
        self.head = head
        if hole == 0 {
            self.tail = kept[...]
            self.totalSize = kept.count
        } else {
            self.tail = kept[head.count...]
            self.totalSize = kept.count + hole
        }
    }

    /// Every byte kept, head and tail.
    var keptBytes: [UInt8] { totalSize == tail.count ? Array(tail) : head + tail }
}
