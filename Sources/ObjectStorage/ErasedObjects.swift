/// What a permanent erasure removed from the store: the objects that were there, and in a versioned bucket every
/// stored version and delete marker besides, for an erasure's receipt.
package struct ErasedObjects: Sendable, Equatable {
    /// Keys that held a current object (a version that was not a delete marker).
    package var objects = 0
    /// Versions and delete markers removed, current ones included; 0 in a bucket without versioning.
    package var versions = 0

    /// Nothing erased yet.
    package init(objects: Int = 0, versions: Int = 0) {
        self.objects = objects
        self.versions = versions
    }

    /// Adds what another erasure removed.
    package static func += (lhs: inout ErasedObjects, rhs: ErasedObjects) {
        lhs.objects += rhs.objects
        lhs.versions += rhs.versions
    }
}
