import Foundation

/// The metadata of one stored object, as a HEAD request (or the end of an upload) reports it.
package struct ObjectInfo: Sendable, Equatable {
    /// The object's key in the store's key layout.
    package var key: String
    /// The size of the object's content in bytes (plaintext, whatever the backend stores on disk).
    package var size: Int64
    /// The entity tag, quoted as in an HTTP `ETag` header (RFC 9110 §8.8.3); changes when the content changes.
    package var etag: String
    /// When the object was last written, for `Last-Modified`.
    package var lastModified: Date
    /// The content type recorded at upload, if the backend keeps one.
    package var contentType: String?
    /// How the backend encrypts the object at rest (`AES256`, `aws:kms`, `AES-256-GCM`), shown by the
    /// self-check page to prove encryption; nil when the backend did not say.
    package var serverSideEncryption: String?
    /// The S3 storage class when it is not the bucket's standard one (S3 names only those in `x-amz-storage-class`),
    /// so that moving an object keeps it; nil on the local store, which records classes without acting on them.
    package var storageClass: String?

    /// Builds the metadata; every backend fills every field it knows.
    package init(
        key: String,
        size: Int64,
        etag: String,
        lastModified: Date,
        contentType: String?,
        serverSideEncryption: String?,
        storageClass: String? = nil
    ) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.serverSideEncryption = serverSideEncryption
        self.storageClass = storageClass
    }
}
