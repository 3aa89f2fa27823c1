import Access
import Documents
import HTTPTypes
import Hummingbird
import Persistence

/// The validated parameters of `GET list`.
struct ListQuery {
    /// `maxKeys` when absent, and its upper bound (as S3's ListObjectsV2).
    static let defaultMaxKeys = 100
    static let maxMaxKeys = 1000
    /// Longest accepted `q`.
    static let maxSearchLength = 200

    let prefix: KeyLayout.KeyPrefix
    let maxKeys: Int
    let afterKey: String?
    let category: FileCategory?
    let search: String?
    /// `status=missing`: the documents whose object is gone (administrators only).
    let missing: Bool

    init(_ parameters: QueryParameters) throws {
        prefix = try KeyLayout.KeyPrefix(parsing: parameters.get("prefix") ?? "")
        if let text = parameters.get("maxKeys") {
            guard let value = Int(text), (1...Self.maxMaxKeys).contains(value) else {
                throw APIError.invalidParameter("`maxKeys` must be a whole number from 1 to \(Self.maxMaxKeys).")
            }
            maxKeys = value
        } else {
            maxKeys = Self.defaultMaxKeys
        }
        if let token = parameters.get("continuationToken") {
            guard let key = ContinuationToken.decode(token), (try? DocumentKey(parsing: key)) != nil else {
                throw APIError(.badRequest, code: "invalid_continuation_token", message: "The continuation token is not valid.")
            }
            afterKey = key
        } else {
            afterKey = nil
        }
        if let text = parameters.get("category") {
            guard let category = FileCategory(rawValue: text) else {
                throw APIError.invalidCategory
            }
            self.category = category
        } else {
            category = nil
        }
        if let q = parameters.get("q"), !q.isEmpty {
            guard q.count <= Self.maxSearchLength else {
                throw APIError.invalidParameter("`q` is limited to \(Self.maxSearchLength) characters.")
            }
            search = q.lowercased()
        } else {
            search = nil
        }
        switch parameters.get("status") {
        case nil: missing = false
        case "missing": missing = true
        default: throw APIError.invalidParameter("`status` can only be `missing`.")
        }
    }

    /// The index query for this listing, limited to what the access policy lets the caller see.
    func databaseQuery(scope: ListingScope) -> DocumentQuery {
        var query = DocumentQuery(
            prefix: prefix.rawValue,
            category: category,
            search: search,
            archived: prefix.reach == .archived,
            limit: maxKeys,
            afterKey: afterKey
        )
        query.missing = missing
        if case .restricted(let visible) = scope {
            query.visibility = DocumentVisibility(
                patientIDs: visible.patientIDs.map(\.rawValue).sorted(),
                providerIDs: visible.providerIDs.map(\.rawValue).sorted(),
                appointmentIDs: visible.appointmentIDs.map(\.rawValue).sorted(),
                uploadedBy: visible.uploadedBy
            )
        }
        return query
    }
}
