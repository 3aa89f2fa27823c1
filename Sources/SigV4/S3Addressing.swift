/// Where an S3 request goes: scheme, the `Host` to send and sign, and the decoded path.
public struct S3Location: Sendable, Hashable {
    /// `https` or `http`.
    package let scheme: String
    /// The host, with the port when it is not the scheme's default (`127.0.0.1:9000`), as S3 and botocore sign it.
    package let host: String
    /// The decoded path (`/bucket/key` path-style, `/key` virtual-hosted); the signer URI-encodes it.
    package let path: String
}

/// Turns (endpoint, bucket, key, style) into an `S3Location`, by hand, without Foundation's URL parsing.
///
/// Path-style (`https://host/bucket/key`) is what MinIO, Ceph RGW and moto expect; virtual-hosted
/// (`https://bucket.host/key`) is AWS's default. Like botocore, the default is virtual-hosted for `amazonaws.com`
/// endpoints and path-style for every other endpoint.
public struct S3Addressing: Sendable, Hashable {
    /// The two S3 addressing styles.
    public enum Style: Sendable, Hashable {
        /// `https://endpoint/bucket/key`.
        case path
        /// `https://bucket.endpoint/key`.
        case virtualHosted
    }

    /// `https` or `http`.
    package let scheme: String
    /// The endpoint's host, lowercased, with its port unless it is the scheme's default.
    package let host: String
    /// The addressing style in use.
    package let style: Style

    /// Parses `http(s)://host[:port][/]`; no user info, path, query or fragment. `style` nil picks the default.
    public init(endpoint: String, style: Style? = nil) throws(SigV4Error) {
        let invalid = SigV4Error.invalidEndpoint.with(message: "an endpoint must look like https://host[:port]")
        let lowered = endpoint.lowercased()
        let scheme: String
        let rest: Substring
        if lowered.hasPrefix("https://") {
            (scheme, rest) = ("https", lowered.dropFirst(8))
        } else if lowered.hasPrefix("http://") {
            (scheme, rest) = ("http", lowered.dropFirst(7))
        } else {
            throw invalid
        }
        let authority = rest.hasSuffix("/") ? rest.dropLast() : rest
        guard let parts = Self.splitAuthority(authority), Self.isValidHostName(parts.host) else { throw invalid }
        let (hostName, port) = parts
        let defaultPort = scheme == "https" ? 443 : 80
        self.scheme = scheme
        self.host = port == nil || port == defaultPort ? String(hostName) : "\(hostName):\(port ?? defaultPort)"
        self.style = style ?? Self.defaultStyle(forHost: String(hostName))
    }

    /// `https://s3.<region>.amazonaws.com`, the endpoint used when none is configured.
    package static func defaultEndpoint(region: String) -> String {
        "https://s3.\(region).amazonaws.com"
    }

    /// Virtual-hosted for AWS (`*.amazonaws.com`, `*.amazonaws.com.cn`), path-style for anything else.
    package static func defaultStyle(forHost host: String) -> Style {
        let awsSuffixes = [".amazonaws.com", ".amazonaws.com.cn"]
        return awsSuffixes.contains { host.hasSuffix($0) } ? .virtualHosted : .path
    }

    /// The location of `key` in `bucket`, or of the bucket itself when `key` is nil or empty (listing, multipart).
    public func location(bucket: String, key: String?) throws(SigV4Error) -> S3Location {
        let key = key.flatMap { $0.isEmpty ? nil : $0 }
        switch self.style {
        case .path:
            guard Self.isValidPathStyleBucket(bucket) else {
                throw SigV4Error.invalidBucket.with(message: "a bucket name may only contain letters, digits, '.', '_' and '-'")
            }
            // Built in one string: `+` chains allocate an intermediate string per step, and this runs per URL.
            var path = "/"
            path.reserveCapacity(2 + bucket.utf8.count + (key?.utf8.count ?? 0))
            path += bucket
            if let key {
                path += "/"
                path += key
            }
            return S3Location(scheme: self.scheme, host: self.host, path: path)
        case .virtualHosted:
            guard Self.isValidVirtualHostedBucket(bucket) else {
                throw SigV4Error.invalidBucket.with(
                    message: "virtual-hosted addressing needs a DNS-compatible bucket name without dots (3-63 of a-z 0-9 -); use path-style"
                )
            }
            return S3Location(scheme: self.scheme, host: bucket + "." + self.host, path: "/" + (key ?? ""))
        }
    }

    /// Splits `host[:port]` or `[v6]:port`; nil if the port is not 1...65535 or the authority is malformed.
    private static func splitAuthority(_ authority: Substring) -> (host: Substring, port: Int?)? {
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portPart = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard let portPart else { return (hostPart, nil) }
        guard (1...5).contains(portPart.count), portPart.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let port = Int(portPart), (1...65_535).contains(port)
        else {
            return nil
        }
        return (hostPart, port)
    }

    /// A DNS name or IPv4 address (labels of a-z 0-9 - and `_`, which container names use), or a bracketed IPv6 address.
    private static func isValidHostName(_ host: Substring) -> Bool {
        if host.hasPrefix("[") {
            return host.count > 2 && host.hasSuffix("]")
                && host.dropFirst().dropLast().utf8.allSatisfy {
                    URIEncoding.hexValue($0) != nil || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".")
                }
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return !host.isEmpty && host.utf8.count <= 253
            && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                    && label.utf8.allSatisfy {
                        ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                            || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                    }
            }
    }

    /// Path-style accepts legacy names too: 1...255 of letters, digits, `.`, `_`, `-`.
    private static func isValidPathStyleBucket(_ bucket: String) -> Bool {
        !bucket.isEmpty && bucket.utf8.count <= 255
            && bucket.utf8.allSatisfy { URIEncoding.isUnreserved($0) && $0 != UInt8(ascii: "~") }
    }

    /// Virtual-hosted needs one DNS label: 3...63 of a-z 0-9 `-`, starting and ending with a letter or digit.
    private static func isValidVirtualHostedBucket(_ bucket: String) -> Bool {
        let bytes = Array(bucket.utf8)
        let isLowerAlnum: (UInt8) -> Bool = {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
        }
        guard (3...63).contains(bytes.count), let first = bytes.first, let last = bytes.last else { return false }
        return isLowerAlnum(first) && isLowerAlnum(last) && bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }
}
