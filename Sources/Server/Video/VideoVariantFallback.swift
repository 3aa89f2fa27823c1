import Documents
import Logging
import ObjectStorage
import Persistence

/// The original is served until a video's phone rendition is ready: `download?id=…&variant=mobile` for a video
/// whose `derived/{id}/mobile` does not exist (transcoding is off, queued, running or failed) answers with the video
/// itself rather than 404, so a phone's player always gets something it can play.
///
/// Every other variant, and `mobile` of anything but a video, resolves to its derived key whether or not it exists
/// (the caller answers 404 for a missing one).
enum VideoVariantFallback {
    /// The key to serve for `variant` of `document`.
    static func key(for variant: DocumentVariant, of document: DocumentRecord, store: any ObjectStore, logger: Logger) async throws -> String {
        let derived = DerivedKey(documentID: document.id, variant: variant).rawValue
        guard variant == .mobile, VideoCommand.demuxer(for: document.contentType) != nil else { return derived }
        do {
            _ = try await store.head(key: derived, logger: logger)
            return derived
        } catch  where error.code == "not_found" {
            return document.key
        }
    }
}
