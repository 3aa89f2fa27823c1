/// What a stored file's upload or import row says in its detail: clamd's clean verdict when it scanned the file, and
/// that identifying metadata (Exif, XMP, IPTC, comments, text chunks) was removed from an image before it was stored.
/// The note names no tag and no value: those are what was removed because they may identify the patient.
package enum UploadAudit {
    /// The note for a file stored without metadata it was uploaded with.
    package static let metadataRemovedNote = "metadata: removed"

    /// The notes that apply, joined with `; `, or nil when there is nothing to note.
    package static func detail(scanned: Bool, removedMetadata: Bool) -> String? {
        let notes = [scanned ? ScanAudit.cleanDetail : nil, removedMetadata ? metadataRemovedNote : nil].compactMap(\.self)
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }
}
