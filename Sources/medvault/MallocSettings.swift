import CMallocSettings

/// glibc allocator settings for `medvault serve`, made once before the server starts its threads.
///
/// A transfer moves 1 MiB batches: each download batch is read into a fresh buffer, decrypted into another and
/// freed once written to the socket, and uploads do the same the other way. With glibc's defaults the heaps of the
/// dispatch threads gave those pages back to the kernel (`madvise`) after nearly every batch, and the next batch
/// paid for page faults and for zeroing fresh pages. Keeping blocks of up to 4 MiB on the heap and up to 64 MiB of
/// free heap top lets the next batch reuse the last one's pages: a 49 MiB download costs 0.84 CPU-s/GiB instead of
/// 1.25 (BENCHMARKS.md, "What stands in the way"). Memory stays flat: what is kept is at most what concurrent
/// transfers used at their peak, never a file's size.
enum MallocSettings {
    /// Blocks up to this size come from the heap rather than from `mmap` (glibc's default starts at 128 KiB).
    static let heapBlockLimit: Int32 = 4 << 20
    /// Free memory at the top of a heap that glibc keeps instead of returning it (its default is 128 KiB).
    static let retainedHeapTop: Int32 = 64 << 20

    /// Applies both settings; does nothing on a C library other than glibc.
    static func keepTransferBuffers() {
        _ = medvault_malloc_keep_blocks(heapBlockLimit, retainedHeapTop)
    }
}
