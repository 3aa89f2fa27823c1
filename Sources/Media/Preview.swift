/// One rendition made by ``PreviewMaker``: the encoded bytes and the size they show.
package struct Preview: Sendable, Equatable {
    /// The encoded image.
    package var bytes: [UInt8]
    /// The media type of ``bytes``; always JPEG (see ``PreviewMaker``).
    package var contentType: String
    package var width: Int
    package var height: Int

    package init(bytes: [UInt8], contentType: String, width: Int, height: Int) {
        self.bytes = bytes
        self.contentType = contentType
        self.width = width
        self.height = height
    }
}
