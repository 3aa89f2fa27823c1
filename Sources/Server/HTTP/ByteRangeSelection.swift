/// What a download serves for a `Range` header, decided by RFC 9110 §14.
///
/// Only a single byte range is honoured. A header that is not a valid `bytes` range, or asks for several
/// ranges, is ignored and the whole representation is sent (RFC 9110 §14.2 lets a server ignore Range).
enum ByteRangeSelection: Equatable {
    case full
    case partial(ClosedRange<Int64>)
    /// No byte of the range exists: 416 with `Content-Range: bytes */size` (§15.5.17).
    case unsatisfiable

    init(header: String?, size: Int64) {
        guard let header, header.hasPrefix("bytes=") else {
            self = .full
            return
        }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: " \t")
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else {
            self = .full
            return
        }
        let first = spec[..<dash]
        let last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            // suffix-range: the last N bytes (§14.1.2).
            guard let length = Int64(last), length >= 0 else {
                self = .full
                return
            }
            self = length == 0 || size == 0 ? .unsatisfiable : .partial(max(0, size - length)...(size - 1))
            return
        }
        guard let start = Int64(first), start >= 0 else {
            self = .full
            return
        }
        let end: Int64
        if last.isEmpty {
            end = size - 1
        } else {
            guard let value = Int64(last), value >= start else {
                self = .full
                return
            }
            end = min(value, size - 1)
        }
        self = start >= size ? .unsatisfiable : .partial(start...end)
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return text
    }
}
