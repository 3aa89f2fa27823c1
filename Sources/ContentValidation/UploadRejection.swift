import Documents

/// Why an upload was refused; the server answers with ``httpStatus`` and `{"error":{"code","message"}}`.
///
/// ``message`` is safe to show: it says what was found and which rule applies (e.g. "file content is image/png
/// but the name says .pdf") and never repeats the file name, which may carry patient data.
package struct UploadRejection: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable {
        case emptyFile = "empty_file"
        case fileTooLarge = "file_too_large"
        case unsupportedType = "unsupported_type"
        case typeMismatch = "type_mismatch"
        case unsafeSVG = "unsafe_svg"
        case missingExtension = "missing_extension"
        case invalidImage = "invalid_image"
    }

    let codeValue: Code
    /// A human-readable reason, without the file name.
    package let message: String

    init(_ code: Code, _ message: String) {
        self.codeValue = code
        self.message = message
    }

    /// The stable error code: `empty_file`, `file_too_large`, `unsupported_type`, `type_mismatch`,
    /// `unsafe_svg`, `missing_extension` or `invalid_image`.
    package var code: String { codeValue.rawValue }

    /// The HTTP status the server answers with: 400 for an empty file, 413 when too large, 415 otherwise.
    package var httpStatus: Int {
        switch codeValue {
        case .emptyFile: 400
        case .fileTooLarge: 413
        case .unsupportedType, .typeMismatch, .unsafeSVG, .missingExtension, .invalidImage: 415
        }
    }

    /// The code and message, for logs.
    package var description: String { "\(code): \(message)" }

    /// The upload had no bytes.
    package static let empty = UploadRejection(.emptyFile, "the file is empty")

    /// The file name has no extension, so there is nothing to check the content against.
    package static let missingExtension = UploadRejection(
        .missingExtension,
        "the file name has no extension; name the file with one of: \(allowedExtensionList)"
    )

    /// The file grew past `limit` bytes; `kind` names the per-kind limit, `nil` the overall one.
    package static func tooLarge(limit: Int, kind: TypeKind?) -> UploadRejection {
        let what = kind.map { "the \(formatBytes(limit)) limit for \($0) files" } ?? "the \(formatBytes(limit)) limit for any file"
        return UploadRejection(.fileTooLarge, "the file exceeds \(what)")
    }

    /// The file grew past `limit` bytes, the own cap of `category` (``FileCategory/maxBytes``).
    package static func tooLarge(limit: Int, category: FileCategory) -> UploadRejection {
        UploadRejection(.fileTooLarge, "the file exceeds the \(formatBytes(limit)) limit for \(category.rawValue) files")
    }

    /// The content or the extension is not on the allow-list; `message` says which.
    package static func unsupportedType(_ message: String) -> UploadRejection { UploadRejection(.unsupportedType, message) }

    /// The content is an allowed type, but not the one the name's extension announces.
    package static func typeMismatch(_ message: String) -> UploadRejection { UploadRejection(.typeMismatch, message) }

    /// An SVG contains active content or an external reference; `reason` names what was found.
    package static func unsafeSVG(_ reason: String) -> UploadRejection { UploadRejection(.unsafeSVG, "the SVG is not accepted: \(reason)") }

    /// An image (JPEG, PNG, WebP, HEIC) whose structure is broken, found while its metadata was being stripped, or a
    /// HEIC whose metadata cannot be reached as it streams; `message` says how.
    package static func invalidImage(_ message: String) -> UploadRejection { UploadRejection(.invalidImage, message) }

    static var allowedExtensionList: String {
        AllowedType.allCases.flatMap(\.extensions).map { ".\($0)" }.joined(separator: ", ")
    }

    /// "10 MiB" for whole mebibytes, else the exact byte count.
    static func formatBytes(_ bytes: Int) -> String {
        let mebibyte = 1024 * 1024
        return bytes >= mebibyte && bytes % mebibyte == 0 ? "\(bytes / mebibyte) MiB" : "\(bytes) bytes"
    }
}
