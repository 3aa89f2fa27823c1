/// What arrived in storage is not what the session declared: the completion refuses it with 422 and the code.
struct StagedObjectMismatch: Error, CustomStringConvertible {
    enum Code: String {
        /// The object's size is not the declared `size`.
        case sizeMismatch = "size_mismatch"
        /// The object's SHA-256 is not the declared `sha256`.
        case checksumMismatch = "checksum_mismatch"
        /// The object does not carry the server-side encryption the configuration asks for.
        case encryptionMissing = "encryption_missing"
    }

    let code: Code
    let message: String

    static let size = StagedObjectMismatch(code: .sizeMismatch, message: "The uploaded object's size is not the declared size.")
    static let checksum = StagedObjectMismatch(code: .checksumMismatch, message: "The uploaded object's SHA-256 is not the declared one.")
    static let encryption = StagedObjectMismatch(
        code: .encryptionMissing,
        message: "The uploaded object does not carry the server-side encryption this server requires."
    )

    var description: String { code.rawValue }
}
