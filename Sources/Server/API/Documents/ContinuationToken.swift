import Foundation

/// The opaque `continuationToken` of `list`: the last key of the previous page, base64url-encoded.
///
/// Keyset paging on the unique key gives a stable order with no duplicates or gaps between pages, even
/// while documents are added. A token that does not decode to a valid key is refused.
enum ContinuationToken {
    static func encode(_ key: String) -> String {
        Data(key.utf8).base64URLEncodedString
    }

    static func decode(_ token: String) -> String? {
        guard token.count <= 2048, let data = Data(base64URLEncoded: token) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
