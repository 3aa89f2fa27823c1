/// One part of a multipart upload, as storage reports it.
package struct UploadedPart: Sendable, Equatable {
    package var number: Int
    /// Quoted, as the part's PUT answered it.
    package var etag: String
    package var size: Int64

    package init(number: Int, etag: String, size: Int64) {
        self.number = number
        self.etag = etag
        self.size = size
    }
}
