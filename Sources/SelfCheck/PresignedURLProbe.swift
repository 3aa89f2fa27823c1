import Foundation
import ObjectStorage
import SigV4

/// Follows a pre-signed URL the way its user would, with a real HTTP GET, and reports what happened.
///
/// The local store's URLs point at medvault itself. When nothing answers there (the command line, with no server
/// running), the probe falls back to the check the server would make: the same `PresignedURLVerifier` judges the
/// URL in process, and the caller reads the object from the store.
struct PresignedURLProbe: Sendable {
    /// What following a URL established.
    enum Answer {
        /// A server answered over HTTP; `host` is the URL's host and port (never the URL, which carries a signature).
        case http(PresignedURLFetcher.Response, host: String)
        /// Nothing answered at the local store's URL, so medvault's verifier judged it in process; on success, the key
        /// the URL names.
        case verifiedInProcess(Result<String, SigV4VerificationError>, host: String)
    }

    let fetcher: PresignedURLFetcher
    /// The local store's issuer, whose verifier serves the fallback; nil on S3, where there is no fallback.
    let local: LocalPresignedURLs?
    /// With `AWS_S3_PUBLIC_ENDPOINT`, URLs name a host that medvault itself may not reach (inside Docker Compose,
    /// `localhost` is the container): URLs under `public` are sent to `reachable`, the endpoint medvault uses for
    /// the same store, with the signed `Host` of `public`, which is what the store checks.
    let route: (public: URL, reachable: URL)?
    let now: @Sendable () -> Date

    /// GETs `url`; see the type's documentation for the local store's fallback.
    func follow(_ url: String) async throws(SelfCheckFailure) -> Answer {
        guard let components = URLComponents(string: url), let hostName = components.host else {
            throw SelfCheckFailure("The pre-signed URL cannot be parsed.")
        }
        let host = components.port.map { "\(hostName):\($0)" } ?? hostName
        let (target, signedHost) = routed(url, components: components, host: host)
        do throws(PresignedURLFetcher.Failure) {
            let response = try await fetcher.get(target, host: signedHost, maxBodyBytes: SelfCheck.smallObjectLimit, timeoutSeconds: 10)
            return .http(response, host: host)
        } catch {
            guard let local else { throw SelfCheckFailure("GET of the pre-signed URL: \(error.message) (\(host)).", underlying: error.underlying) }
            return .verifiedInProcess(verify(components, host: host, with: local), host: host)
        }
    }

    /// `url` and the `Host` to send: unchanged (nil: the URL's own) unless ``route`` moves it to the reachable endpoint.
    private func routed(_ url: String, components: URLComponents, host: String) -> (url: String, host: String?) {
        guard let route, components.scheme == route.public.scheme, host == Self.authority(of: route.public),
            var moved = URLComponents(url: route.reachable, resolvingAgainstBaseURL: false)
        else { return (url, nil) }
        moved.percentEncodedPath = components.percentEncodedPath
        moved.percentEncodedQuery = components.percentEncodedQuery
        return (moved.string ?? url, host)
    }

    /// `host[:port]` of `url`, as the probe names hosts.
    private static func authority(of url: URL) -> String? {
        url.host.map { host in url.port.map { "\(host):\($0)" } ?? host }
    }

    /// What the server's pre-signed object route checks: the signature over the raw path, query and host, and
    /// that the path names a key.
    private func verify(_ components: URLComponents, host: String, with local: LocalPresignedURLs) -> Result<String, SigV4VerificationError> {
        let rawPath = components.percentEncodedPath
        do throws(SigV4VerificationError) {
            _ = try local.verifier.verify(
                method: "GET",
                rawPath: rawPath,
                rawQuery: components.percentEncodedQuery ?? "",
                headers: [(name: "host", value: host)],
                now: now()
            )
        } catch {
            return .failure(error)
        }
        guard rawPath.hasPrefix(LocalPresignedURLs.pathPrefix),
            let key = String(rawPath.dropFirst(LocalPresignedURLs.pathPrefix.count)).removingPercentEncoding
        else { return .failure(.malformed) }
        return .success(key)
    }

    /// The error code of a refusal: medvault's JSON `{"error":{"code"}}` or S3's XML `<Code>`.
    static func errorCode(of response: PresignedURLFetcher.Response) -> String? {
        struct Envelope: Decodable {
            struct Body: Decodable { let code: String }
            let error: Body
        }
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(response.body)) { return envelope.error.code }
        let text = String(decoding: response.body, as: UTF8.self)
        guard let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>", range: start.upperBound..<text.endIndex) else {
            return nil
        }
        let code = text[start.upperBound..<end.lowerBound]
        return code.count <= 64 && code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) ? String(code) : nil
    }

    /// `url` with the last hex digit of its `X-Amz-Signature` changed: the tampered URL of check 6.
    static func tampered(_ url: String) -> String? {
        guard let marker = url.range(of: "X-Amz-Signature=") else { return nil }
        let valueEnd = url[marker.upperBound...].firstIndex(of: "&") ?? url.endIndex
        guard valueEnd > marker.upperBound else { return nil }
        let last = url.index(before: valueEnd)
        let replacement: Character = url[last] == "0" ? "1" : "0"
        return url.replacingCharacters(in: last...last, with: String(replacement))
    }
}
