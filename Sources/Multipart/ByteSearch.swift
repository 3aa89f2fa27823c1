#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search over contiguous bytes, built on `memchr` and `memcmp`.
///
/// Swift's Glibc module does not export the GNU `memmem`, so the search jumps from one occurrence of the needle's
/// first byte to the next with `memchr` and compares the rest with `memcmp`: the work per byte happens in libc, not
/// in Swift, which keeps the scan fast even in debug builds.
enum ByteSearch {
    /// Where a needle was found in a haystack.
    enum Result: Equatable {
        /// The needle occurs in full at this offset (the first such offset).
        case match(Int)
        /// No full occurrence; the haystack's suffix starting at this offset is a proper prefix of the needle, so the
        /// needle may still be completed by the bytes that follow. It is the earliest such offset.
        case partial(Int)
        /// Neither: no byte of the haystack can belong to an occurrence of the needle.
        case none
    }

    /// Searches `haystack` for `needle`.
    ///
    /// When the needle's first byte occurs nowhere else in it (true of `CRLF--boundary`, as a boundary holds no CR),
    /// at most one suffix of the haystack can be a prefix of the needle, so `.partial` is the minimal tail to keep.
    static func find(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Result {
        guard let base = haystack.baseAddress, let needleBase = needle.baseAddress, !needle.isEmpty else { return .none }
        let firstByte = Int32(needle[0])
        var offset = 0
        while offset < haystack.count {
            guard let hit = memchr(base + offset, firstByte, haystack.count - offset) else { return .none }
            let position = base.distance(to: UnsafeRawPointer(hit))
            let remaining = haystack.count - position
            if memcmp(hit, needleBase, min(remaining, needle.count)) == 0 {
                return remaining >= needle.count ? .match(position) : .partial(position)
            }
            offset = position + 1
        }
        return .none
    }

    /// Whether the two byte ranges hold the same bytes.
    static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard let left = lhs.baseAddress, let right = rhs.baseAddress else { return true }
        return memcmp(left, right, lhs.count) == 0
    }
}
