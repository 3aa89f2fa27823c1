/// Upper bounds the parser enforces while it streams a multipart/form-data body.
///
/// Every buffer the parser holds is bounded by these values, so a hostile client cannot make it hold more than one
/// part's header block in memory, whatever the body size. File sizes are not limited here: the upload policy knows
/// the per-kind limits and counts the streamed bytes itself.
package struct MultipartLimits: Sendable, Hashable {
    /// Largest header block of one part, in bytes, counting every header line and the blank line that ends the
    /// block. Exceeding it throws `multipart_limit_exceeded`. This is the only data the parser buffers per part.
    package var maxHeaderBytes: Int
    /// Most parts a body may contain; the next part throws `multipart_limit_exceeded`.
    package var maxParts: Int
    /// Largest body of a part without a `filename` (a plain form field, RFC 7578 §4.2), in bytes. Callers collect
    /// field values in memory, so the parser stops them early; parts with a file name are not limited here.
    package var maxFieldBytes: Int
    /// Most bytes before the first boundary (the preamble, RFC 2046 §5.1.1), not counting the line break that
    /// belongs to the boundary. The preamble carries nothing and browsers send none, so a long one is an attempt to
    /// keep the server reading: exceeding it throws `malformed_multipart`.
    package var maxPreambleBytes: Int
    /// Most bytes after the close delimiter (the epilogue, RFC 2046 §5.1.1). Ignored like the preamble, and bounded
    /// for the same reason: a stored upload must not be held open by an endless tail. Exceeding it throws
    /// `malformed_multipart`.
    package var maxEpilogueBytes: Int

    /// Creates limits; the defaults are those of ``standard``.
    package init(
        maxHeaderBytes: Int = 8 * 1024,
        maxParts: Int = 64,
        maxFieldBytes: Int = 64 * 1024,
        maxPreambleBytes: Int = 4 * 1024,
        maxEpilogueBytes: Int = 4 * 1024
    ) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxParts = maxParts
        self.maxFieldBytes = maxFieldBytes
        self.maxPreambleBytes = maxPreambleBytes
        self.maxEpilogueBytes = maxEpilogueBytes
    }

    /// The limits for medvault's upload form: 8 KiB of headers per part, 64 parts, 64 KiB per text field, 4 KiB of
    /// preamble and 4 KiB of epilogue.
    package static let standard = MultipartLimits()
}
