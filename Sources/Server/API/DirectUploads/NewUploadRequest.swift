import ContentValidation
import Documents
import Foundation
import HTTPTypes

/// The JSON body of `POST uploads`: the file a client is about to send straight to storage.
struct NewUploadRequest: Decodable, Sendable {
    /// The shape the error message shows.
    static let example = #"{"fileName": "scan.pdf", "size": 1048576, "category": "medical-records", "entityType": "patient", "entityId": "…"}"#

    let fileName: String
    let size: Int64
    let category: String
    let entityType: String
    let entityId: String
    /// Lowercase or uppercase hex SHA-256 of the whole file; signed into a one-part URL and checked at completion.
    let sha256: String?

    /// The validated fields, as the multipart upload's form fields are validated (same codes): the category, entity
    /// type and entity id; the file name sanitised; the digest normalised to lowercase hex.
    func validated(uploadedBy: String) throws -> (target: UploadTarget, fileName: String, sha256: String?) {
        let target = try UploadTarget(category: category, entityType: entityType, entityID: entityId, uploadedBy: uploadedBy)
        let digest = sha256?.lowercased()
        if let digest, digest.utf8.count != 64 || !digest.utf8.allSatisfy({ HexDigit.value($0) != nil }) {
            throw APIError.invalidParameter("`sha256` must be the file's SHA-256 as 64 hex digits.")
        }
        return (target, FileNameSanitizer.sanitize(fileName), digest)
    }
}
