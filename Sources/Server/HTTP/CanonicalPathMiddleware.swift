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
    static func isCanonical(_ path: String) -> Bool {
        if path == "/" { return true }
        guard path.hasPrefix("/"), !path.contains("\\") else { return false }
        let upper = path.uppercased()
        guard !["%2F", "%5C", "%2E"].contains(where: upper.contains) else { return false }
        return path.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy { segment in
            !segment.isEmpty && !segment.elementsEqual(".".utf8) && !segment.elementsEqual("..".utf8)
        }
    }
}
