/// A rendition of a stored document that medvault makes itself: previews for phones and lists, a video's poster
/// frame, a video transcoded for phones.
///
/// The raw value is the wire format (`download?variant=`) and the last segment of the object's key
/// (``DerivedKey``), so it must never change.
package enum DocumentVariant: String, CaseIterable, Sendable, Codable {
    /// A small preview (256 px on the long edge) for lists and the admin pages.
    case thumbnail
    /// The phone-sized rendition: an image or PDF page at 1280 px on the long edge, or a video at 720p.
    case mobile
    /// A video's poster frame.
    case poster
}
