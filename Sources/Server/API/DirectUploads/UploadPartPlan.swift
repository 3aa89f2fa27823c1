/// How a direct upload of `size` bytes is cut into parts: one plain PutObject when it fits in one part, else S3
/// multipart parts of `partSize` bytes with the rest in the last (S3 refuses parts under 5 MiB but the last, and more
/// than 10,000 parts). A pure value, so the arithmetic is tested without storage.
struct UploadPartPlan: Equatable {
    /// S3's most parts per multipart upload.
    static let maximumParts = 10_000

    let size: Int64
    let partSize: Int64

    /// Whether the upload needs a multipart upload (more than one part).
    var isMultipart: Bool { size > partSize }

    /// How many parts: at least one.
    var partCount: Int { Int(max(1, (size + partSize - 1) / partSize)) }

    /// The exact length of part `number` (1-based), which its URL signs as `Content-Length`; nil outside the plan.
    func length(ofPart number: Int) -> Int64? {
        guard (1...partCount).contains(number) else { return nil }
        return number < partCount ? partSize : size - Int64(partCount - 1) * partSize
    }
}
