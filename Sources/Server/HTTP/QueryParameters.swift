import Foundation

/// A request's query decoded as HTML forms and HTTP clients encode it (WHATWG URL standard,
/// `application/x-www-form-urlencoded`): `+` is a space, then `%XX` escapes are decoded.
///
/// Hummingbird's own `queryParameters` leaves `+` alone, so a file name with a space, sent by a browser as
/// `discharge+letter.pdf`, would not find its key. A literal `+` in a key arrives as `%2B`. A value whose
/// escapes are not valid UTF-8 is kept raw; it then fails the key layout's "no `%`" rule with a clear 400.
struct QueryParameters {
    private let pairs: [(name: String, value: String)]

    /// `query` is the raw query of the request target, without the `?`.
    init(query: String?) {
        pairs = (query ?? "").split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? parts[1] : ""
            return (Self.decode(parts[0]), Self.decode(value))
        }
    }

    /// The first value of `name`, if any.
    func get(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order; for refusing repeated parameters.
    func getAll(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
