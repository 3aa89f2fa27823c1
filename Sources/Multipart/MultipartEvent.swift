import NIOCore

/// One step of a streamed multipart/form-data body, as returned by ``MultipartParser/parse(_:)``.
///
/// For every part the parser returns `partBegin`, then zero or more `body` events, then `partEnd`; the caller can
/// write each `body` slice to storage as it arrives, so a part is never held in memory as a whole.
package enum MultipartEvent: Sendable, Equatable {
    /// A part starts; its header block has been read and validated.
    case partBegin(PartHeaders)
    /// The next bytes of the current part's body: usually a zero-copy slice of the chunk that was passed in.
    case body(ByteBuffer)
    /// The current part's body is complete (its closing delimiter was seen).
    case partEnd
}
