import HTTPTypes
import Hummingbird

/// A known path called with a method it does not serve is answered 405 `method_not_allowed` with `Allow`
/// listing the methods it does serve (RFC 9110 §15.5.6), not the 404 of a path nobody routes.
///
/// The router finds a route by path and method together, so on its own it answers such a call 404. This
/// adds, after the last route, a responder for each of ``refusedMethods`` that a routed path lacks. `HEAD` is
/// refused like the rest: no route is generated for it, because a `HEAD` of a download or an export would do
/// (and audit) the whole `GET`.
enum MethodNotAllowed {
    /// The methods refused with a 405 where a path has no route for them: RFC 9110's, but `CONNECT` (which names a
    /// host, not a path), `PATCH` (RFC 5789) and `QUERY` (the IETF's safe method with a body, which clients and
    /// testing tools already send). A method outside this list still meets the router's 404.
    static let refusedMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options, .trace, query]

    /// `QUERY` (draft-ietf-httpbis-safe-method-w-body), which `HTTPRequest.Method` does not name.
    static let query = HTTPRequest.Method("QUERY")!

    /// Adds the 405 responders for every path `router` routes; call it after the last route is added.
    static func addResponders(to router: Router<AppRequestContext>) {
        for routes in Dictionary(grouping: router.routes, by: \.path.description).values {
            guard let path = routes.first?.path else { continue }
            let served = Set(routes.map(\.method))
            let allow = served.map(\.rawValue).sorted().joined(separator: ", ")
            for method in refusedMethods where !served.contains(method) {
                router.on(path, method: method) { _, _ -> Response in throw APIError.methodNotAllowed(allow: allow) }
            }
        }
    }
}
