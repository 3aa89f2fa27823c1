import Foundation

/// The opaque `continuationToken` of `list`: the last key of the previous page, base64url-encoded.
///
/// Keyset paging on the unique key gives a stable order with no duplicates or gaps between pages, even
/// while documents are added. A token that does not decode to a valid key is refused.
enum ContinuationToken {
    static func encode(_ key: String) -> String {
        Data(key.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ token: String) -> String? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard token.count <= 2048, let data = Data(base64Encoded: base64) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
