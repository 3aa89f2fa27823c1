import Documents

/// What the upload policy concluded about a complete, accepted file.
package struct InspectedFile: Sendable, Hashable {
    /// The allowed type the bytes were confirmed to be.
    package let type: AllowedType
    /// The total number of bytes consumed.
    package let size: Int
    /// The canonical media type of ``type``: store it as `Content-Type`, whatever the client claimed.
    package let mimeType: String
    /// What libmagic itself reported (e.g. `application/zip` for a confirmed .docx, `text/plain` for a
    /// semicolon CSV); useful for audit and diagnostics, not for serving.
    package let sniffedMimeType: String
}
