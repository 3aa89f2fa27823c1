import Documents

/// Removes identifying metadata (Exif, XMP, IPTC, comments, text chunks) from an image as it streams to storage,
/// without touching the pixels: phone photos carry GPS positions, device serials and owner names that the patient
/// never meant to share.
///
/// A stripper is a state machine without I/O: ``consume(_:)`` takes the upload's chunks in order and returns the bytes
/// to store in their place (possibly none for a chunk), holding at most one segment, chunk header or box of metadata, so memory stays
/// bounded whatever the image size; a WebP, whose header states the size its metadata changes, is held whole, within
/// the image limit (``WebPMetadataStripper``). ``finish()`` throws when the image ended before its end marker.
///
/// - important: a stripper that has thrown must not be fed again; the caller discards what it stored.
package protocol MetadataStripper: Sendable {
    /// Takes the next chunk of the original image and returns the bytes to store for it.
    ///
    /// - Throws: ``UploadRejection`` `invalid_image` when the image's structure is broken (a bad signature, a
    ///   segment or chunk length that cannot be right).
    mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(UploadRejection) -> [UInt8]

    /// Checks that the image reached its end marker (JPEG EOI, PNG IEND, the end a WebP's RIFF header declares, a
    /// HEIC's last box).
    ///
    /// - Throws: ``UploadRejection`` `invalid_image` for an image cut short.
    func finish() throws(UploadRejection)

    /// Whether anything of the original was left out of the stored bytes so far (or, in a HEIC, blanked).
    var removedMetadata: Bool { get }
}

/// The stripper for `type`, or nil for a type medvault stores as it came (metadata stripping covers JPEG, PNG, WebP
/// and HEIC).
package func makeMetadataStripper(for type: AllowedType) -> (any MetadataStripper)? {
    switch type {
    case .jpeg: JPEGMetadataStripper()
    case .png: PNGMetadataStripper()
    case .webp: WebPMetadataStripper()
    case .heic: HEICMetadataStripper()
    default: nil
    }
}
