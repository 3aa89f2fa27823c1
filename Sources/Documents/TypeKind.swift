/// The broad class of an allowed file type; size limits and the UI's grouping are per kind.
package enum TypeKind: String, CaseIterable, Sendable, Codable {
    case image
    case document
    case medical
    case video
}
