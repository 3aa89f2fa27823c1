/// One page of a listing, as S3's ListObjectsV2 returns it.
package struct ObjectListing: Sendable {
    /// The objects of this page, sorted by key.
    package var objects: [ObjectInfo]
    /// Pass this back to get the next page; nil when this is the last page.
    package var nextContinuationToken: String?

    /// Builds a page.
    package init(objects: [ObjectInfo], nextContinuationToken: String?) {
        self.objects = objects
        self.nextContinuationToken = nextContinuationToken
    }
}
