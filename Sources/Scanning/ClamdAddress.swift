/// Where clamd listens, from `MEDVAULT_CLAMD_URL`: `unix:///run/clamav/clamd.ctl` (clamd's `LocalSocket`) or
/// `tcp://127.0.0.1:3310` (its `TCPSocket` and `TCPAddr`).
///
/// clamd speaks its protocol bare, without TLS or authentication (clamd(8)): a TCP address should be on loopback or
/// a private network that only medvault and clamd share.
package enum ClamdAddress: Sendable, Hashable, CustomStringConvertible {
    /// A unix domain socket at an absolute path.
    case unix(path: String)
    /// A TCP host (a name, an IPv4 address, or an IPv6 address without brackets) and port.
    case tcp(host: String, port: Int)

    /// clamd's own default TCP port (`TCPSocket` in clamd.conf(5) has no default; 3310 is the registered port).
    package static let defaultPort = 3310

    /// Parses `unix:///absolute/path` or `tcp://host[:port]`; nil for anything else (another scheme, a relative
    /// path, a query, credentials, a port out of range).
    package init?(parsing text: String) {
        if text.hasPrefix("unix://") {
            let path = String(text.dropFirst("unix://".count))
            guard path.hasPrefix("/"), path.count > 1, !path.contains(where: { $0 == "?" || $0 == "#" || $0.isNewline }) else {
                return nil
            }
            self = .unix(path: path)
        } else if text.hasPrefix("tcp://") {
            var authority = Substring(text.dropFirst("tcp://".count))
            if authority.hasSuffix("/") { authority = authority.dropLast() }
            guard !authority.isEmpty, !authority.contains(where: { "/?#@ ".contains($0) || $0.isNewline }) else { return nil }
            guard let (host, port) = Self.hostAndPort(authority) else { return nil }
            self = .tcp(host: host, port: port)
        } else {
            return nil
        }
    }

    /// The address as a URL again, for logs and `/config` (it holds no secret).
    package var description: String {
        switch self {
        case .unix(let path): "unix://\(path)"
        case .tcp(let host, let port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        }
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`.
    private static func hostAndPort(_ authority: Substring) -> (String, Int)? {
        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let rest = authority[authority.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return nil }
            portText = rest.isEmpty ? nil : rest.dropFirst()
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
            portText = nil
        }
        guard !host.isEmpty else { return nil }
        guard let portText else { return (String(host), defaultPort) }
        guard portText.allSatisfy({ ("0"..."9").contains($0) }), let port = Int(portText), (1...65535).contains(port) else { return nil }
        return (String(host), port)
    }
}
