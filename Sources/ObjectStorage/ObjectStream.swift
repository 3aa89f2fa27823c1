import NIOCore

/// An object being read: its metadata, the range being served, and the bytes as they arrive.
///
/// The body is consumed as it streams, so a 50 MB download never sits in memory. It may throw while
/// streaming (a `StorageError`, e.g. `storage_integrity` for a damaged chunk), after the response has started.
package struct ObjectStream: Sendable {
    /// The metadata of the whole object (its full size, not the range's).
    package var info: ObjectInfo
    /// The inclusive byte range the body covers, or nil for the whole object.
    package var range: ClosedRange<Int64>?
    /// The content, in order, in buffers of a backend-chosen size.
    package var body: any AsyncSequence<ByteBuffer, any Error> & Sendable

    /// Bundles what a backend's `read` produced.
    package init(info: ObjectInfo, range: ClosedRange<Int64>?, body: any AsyncSequence<ByteBuffer, any Error> & Sendable) {
        self.info = info
        self.range = range
        self.body = body
    }
}
