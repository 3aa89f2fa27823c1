/// Where a manifest row's bytes come from: a local file, or an object in a bucket on the configured S3 endpoint.
/// Either is only ever read: an import never modifies or removes its originals.
package enum ImportSource: Sendable, Equatable {
    case local(path: String)
    case s3(bucket: String, key: String)

    /// Reads a manifest's `source`: `s3://bucket/key`, else a path. Throws ``ImportRefusal/invalidSource`` for an
    /// empty value or an `s3://` address without a bucket or a key.
    package init(_ text: String) throws(ImportRefusal) {
        guard !text.isEmpty else { throw .invalidSource }
        guard text.hasPrefix("s3://") else {
            self = .local(path: text)
            return
        }
        let address = text.dropFirst("s3://".count)
        guard let slash = address.firstIndex(of: "/") else { throw .invalidSource }
        let bucket = String(address[..<slash])
        let key = String(address[address.index(after: slash)...])
        guard !bucket.isEmpty, !key.isEmpty else { throw .invalidSource }
        self = .s3(bucket: bucket, key: key)
    }
}
