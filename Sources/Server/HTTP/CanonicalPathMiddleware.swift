import Hummingbird

/// Refuses a request whose path is not written the one way the router and every decision about it read it.
///
/// The router skips empty segments, so `//api/v2/users` and `/api//v2/users` reach `/api/v2/users`, while
/// anything that looks at the raw path sees something else; `.` and `..` segments and percent-encoded
/// `/`, `\` or `.` (`%2F`, `%5C`, `%2E`) invite the same disagreement between layers (RFC 3986 §6.2.2 calls
/// these forms equivalent, proxies and caches may not). Rather than guess which reading was meant, such a
/// request is answered 400 `invalid_path` before anyone is authenticated or anything is routed.
package struct CanonicalPathMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext

    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.isCanonical(request.uri.path) else { throw APIError.invalidPath }
        return try await next(request, context)
    }

    /// Whether `path` is `/`, or `/`-separated segments that are neither empty nor `.` or `..`, with no
    /// backslash and no percent-encoded `/`, `\` or `.`.
    ///
    /// Checked on the UTF-8 bytes: upper-casing the path and searching it with Foundation was about 2.5% of an
    /// audited read's CPU time.
    static func isCanonical(_ path: String) -> Bool {
        if path == "/" { return true }
        let bytes = Array(path.utf8)
        guard bytes.first == UInt8(ascii: "/"), !bytes.contains(UInt8(ascii: "\\")), !containsEncodedSeparator(bytes) else { return false }
        return bytes.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy { segment in
            !segment.isEmpty && !segment.elementsEqual(".".utf8) && !segment.elementsEqual("..".utf8)
        }
    }

    /// Whether `bytes` hold `%2F`, `%5C` or `%2E`, in either case.
    private static func containsEncodedSeparator(_ bytes: [UInt8]) -> Bool {
        bytes.indices.dropLast(2).contains { index in
            guard bytes[index] == UInt8(ascii: "%") else { return false }
            let escape = (bytes[index + 1], bytes[index + 2] | 0x20)  // the letter in lower case
            return escape == (UInt8(ascii: "2"), UInt8(ascii: "f")) || escape == (UInt8(ascii: "5"), UInt8(ascii: "c"))
                || escape == (UInt8(ascii: "2"), UInt8(ascii: "e"))
        }
    }
}
