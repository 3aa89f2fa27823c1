import Foundation

/// The inputs of `medvault presign`, parsed and resolved here (not in the executable) so every rule and error case
/// is unit-tested: method, `NAME=VALUE` query parameters, `NAME:VALUE` headers, the `--date`, and the defaults
/// taken from the environment (credentials, `AWS_REGION`, endpoint, addressing style).
package struct PresignOptions: Sendable {
    /// Methods S3 accepts on a pre-signed URL.
    package static let methods: [String] = ["GET", "PUT", "HEAD", "DELETE", "POST"]

    /// `--method`, any case.
    package var method: String = "GET"
    /// `--bucket`.
    package var bucket: String
    /// `--key`.
    package var key: String
    /// `--endpoint`; nil means `https://s3.<region>.amazonaws.com`.
    package var endpoint: String?
    /// `--region`; nil means `AWS_REGION`, else `us-east-1`.
    package var region: String?
    /// `--expires`, seconds.
    package var expires: Int = 3600
    /// `--date` as `YYYYMMDDTHHMMSSZ`; nil means now.
    package var date: String?
    /// `--path-style` / `--virtual-hosted`; nil means the endpoint's default.
    package var style: S3Addressing.Style?
    /// `--query NAME=VALUE`, repeatable.
    package var query: [String] = []
    /// `--header NAME:VALUE`, repeatable.
    package var headers: [String] = []

    /// Options with the required bucket and key; the rest keep their defaults.
    package init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Checks every option that does not depend on the environment (method, query, headers, date, expiry,
    /// endpoint, bucket), so a CLI can reject bad input before doing anything else.
    package func validate() throws(SigV4Error) {
        _ = try self.resolved(region: self.region ?? "us-east-1")
    }

    /// Signs the URL: credentials from `environment` (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_SESSION_TOKEN`), region from the option or `AWS_REGION`, time from `--date` or `now`.
    package func presignedURL(environment: [String: String], now: Date) throws(SigV4Error) -> String {
        let region = self.region ?? environment["AWS_REGION"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        let resolved = try self.resolved(region: region)
        let signer = try SigV4Signer(credentials: try Credentials(environment: environment), region: region)
        return try signer.presign(
            method: resolved.method,
            location: resolved.location,
            query: resolved.query,
            headers: resolved.headers,
            expires: self.expires,
            date: resolved.date ?? now
        )
    }

    private struct Resolved {
        let method: String
        let location: S3Location
        let query: [(name: String, value: String)]
        let headers: [(name: String, value: String)]
        let date: Date?
    }

    private func resolved(region: String) throws(SigV4Error) -> Resolved {
        let method = try Self.method(self.method)
        let query = try self.query.map { (text) throws(SigV4Error) in try Self.queryParameter(text) }
        let headers = try self.headers.map { (text) throws(SigV4Error) in try Self.header(text) }
        let date = try self.date.map { (text) throws(SigV4Error) in try AmzDate(parsing: text).date }
        guard SigV4Signer.expiryRange.contains(self.expires) else { throw SigV4Error.invalidExpiry }
        try InputValidation.scopeComponent(region)
        let addressing = try S3Addressing(endpoint: self.endpoint ?? S3Addressing.defaultEndpoint(region: region), style: self.style)
        let location = try addressing.location(bucket: self.bucket, key: self.key)
        try InputValidation.query(query, presigning: true)
        try InputValidation.extraHeaders(headers)
        return Resolved(method: method, location: location, query: query, headers: headers, date: date)
    }

    /// One of `methods`, in any case; returned uppercase.
    package static func method(_ text: String) throws(SigV4Error) -> String {
        let upper = text.uppercased()
        guard Self.methods.contains(upper) else {
            throw SigV4Error.invalidMethod.with(message: "unknown method; use one of \(Self.methods.joined(separator: ", "))")
        }
        return upper
    }

    /// `NAME=VALUE` (split at the first `=`), or a bare `NAME` for a value-less sub-resource such as `uploads`.
    package static func queryParameter(_ text: String) throws(SigV4Error) -> (name: String, value: String) {
        let name = text.prefix { $0 != "=" }
        let value = text.dropFirst(name.count + 1)
        guard !name.isEmpty else {
            throw SigV4Error.invalidQueryParameter.with(message: "a query parameter must look like NAME=VALUE")
        }
        return (String(name), String(value))
    }

    /// `NAME:VALUE` (split at the first `:`), the name an RFC 9110 token; surrounding spaces are dropped.
    package static func header(_ text: String) throws(SigV4Error) -> (name: String, value: String) {
        guard let colon = text.firstIndex(of: ":") else {
            throw SigV4Error.invalidHeader.with(message: "a header must look like NAME:VALUE")
        }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard CanonicalHeaders.isToken(name) else {
            throw SigV4Error.invalidHeader.with(message: "a header name must be a token such as content-type")
        }
        return (name, value)
    }
}
