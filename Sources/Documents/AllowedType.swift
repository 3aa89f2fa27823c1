/// A file type medvault accepts, with the facts the upload policy and the download path need about it.
///
/// The type of an upload is decided from its bytes (libmagic) and must agree with the name's extension;
/// this enum is the allow-list both sides are checked against (DESIGN.md, "Limits and types").
package enum AllowedType: String, CaseIterable, Sendable, Codable {
    case jpeg
    case png
    case gif
    case webp
    case svg
    case pdf
    case doc
    case docx
    case xls
    case xlsx
    case text
    case csv
    case dicom
    case heic
    case mp4
    case mov
    case webm

    /// The canonical media type, used as the stored object's `Content-Type` whatever the client claimed.
    package var mimeType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .svg: "image/svg+xml"
        case .pdf: "application/pdf"
        case .doc: "application/msword"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xls: "application/vnd.ms-excel"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .text: "text/plain"
        case .csv: "text/csv"
        case .dicom: "application/dicom"
        case .heic: "image/heic"
        case .mp4: "video/mp4"
        case .mov: "video/quicktime"
        case .webm: "video/webm"
        }
    }

    /// The kind, which selects the size limit (``SizeLimits/maxBytes(for:)``).
    package var kind: TypeKind {
        switch self {
        case .jpeg, .png, .gif, .webp, .svg, .heic: .image
        case .pdf, .doc, .docx, .xls, .xlsx, .text, .csv: .document
        case .dicom: .medical
        case .mp4, .mov, .webm: .video
        }
    }

    /// The file-name extensions (lowercase, without the dot) that announce this type; the first is preferred.
    package var extensions: [String] {
        switch self {
        case .jpeg: ["jpg", "jpeg"]
        case .png: ["png"]
        case .gif: ["gif"]
        case .webp: ["webp"]
        case .svg: ["svg"]
        case .pdf: ["pdf"]
        case .doc: ["doc"]
        case .docx: ["docx"]
        case .xls: ["xls"]
        case .xlsx: ["xlsx"]
        case .text: ["txt"]
        case .csv: ["csv"]
        case .dicom: ["dcm", "dicom"]
        case .heic: ["heic"]
        case .mp4: ["mp4"]
        case .mov: ["mov"]
        case .webm: ["webm"]
        }
    }

    /// The types every document category accepts: all but HEIC and video, which only the media categories take
    /// (``FileCategory/allowedTypes``).
    package static let documentTypes: [AllowedType] = [.jpeg, .png, .gif, .webp, .svg, .pdf, .doc, .docx, .xls, .xlsx, .text, .csv, .dicom]

    /// Whether a download may use `Content-Disposition: inline`.
    ///
    /// - important: Only types a browser renders without running anything are inline. SVG is never inline:
    ///   it is a document that can carry script, even after the upload scan (DESIGN.md, "Limits and types").
    package var servedInline: Bool {
        switch self {
        case .pdf, .png, .jpeg, .gif, .webp: true
        default: false
        }
    }

    /// The type a file-name extension announces (case-insensitive, without the dot), or `nil` when the
    /// extension is not on the allow-list.
    package init?(fileExtension: String) {
        let lowered = fileExtension.lowercased()
        guard let match = Self.allCases.first(where: { $0.extensions.contains(lowered) }) else { return nil }
        self = match
    }

    /// The type whose MIME type is `mimeType` (a stored object's or a record's content type), or `nil` when it is none
    /// of the allowed types.
    package init?(mimeType: String) {
        guard let match = Self.allCases.first(where: { $0.mimeType == mimeType }) else { return nil }
        self = match
    }
}
