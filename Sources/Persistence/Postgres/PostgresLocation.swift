import Documents
import Foundation

/// Where a PostgreSQL database is and how to reach it, parsed from `DATABASE_URL`:
/// `postgres://user:password@host:port/database?sslmode=disable|require|verify-full`.
///
/// The forms follow libpq's connection URIs (PostgreSQL manual, §34.1.1): `postgresql://` is accepted too,
/// user, password and database are percent-decoded, the port defaults to 5432 and the user to `postgres`. Only
/// the parameters medvault acts on are accepted (`sslmode`, `sslrootcert`); any other is refused rather than
/// silently ignored. Without `sslmode` the connection requires TLS with a verified certificate (`verify-full`):
/// the database holds medical records, so a plain-text connection must be asked for.
/// - important: The password is kept out of ``description`` and any mirror, so a logged location cannot leak it.
package struct PostgresLocation: Sendable, Equatable {
    /// How the connection is protected (libpq's `sslmode` values that medvault supports).
    package enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// No TLS: for a server on the same host or a private network only.
        case disable
        /// TLS, without checking the server's certificate (protects against eavesdropping, not impersonation).
        case require
        /// TLS with the certificate checked against the trusted roots and the host name.
        case verifyFull = "verify-full"
    }

    /// The server's host name or IP address.
    package var host: String
    /// The server's TCP port.
    package var port: Int
    /// The role to sign in as.
    package var username: String
    /// The role's password, if the URL has one.
    package var password: String?
    /// The database to open.
    package var database: String
    /// The TLS mode.
    package var tlsMode: TLSMode
    /// A PEM file of trusted root certificates for `verify-full` (`sslrootcert`), instead of the system's.
    package var rootCertificatePath: String?

    /// Creates a location from its parts.
    package init(
        host: String,
        port: Int = 5432,
        username: String,
        password: String? = nil,
        database: String,
        tlsMode: TLSMode = .verifyFull,
        rootCertificatePath: String? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
        self.rootCertificatePath = rootCertificatePath
    }

    /// Parses a `DATABASE_URL`; the error says which part is wrong without repeating the URL (it may hold a
    /// password).
    package init(url text: String) throws(PostgresLocationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw .malformed("is not a URL")
        }
        guard scheme == "postgres" || scheme == "postgresql" else { throw .malformed("must start with postgres://") }
        guard let host = components.host, !host.isEmpty else { throw .malformed("has no host") }
        if let port = components.port, !(1...65535).contains(port) { throw .malformed("has a port outside 1...65535") }
        let path = components.percentEncodedPath
        let database = (path.hasPrefix("/") ? String(path.dropFirst()) : path).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw .malformed("must name one database (…/database)") }
        var tlsMode = TLSMode.verifyFull
        var rootCertificatePath: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw .malformed("has an sslmode other than \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tlsMode = mode
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else { throw .malformed("has an empty sslrootcert") }
                rootCertificatePath = value
            default:
                throw .malformed("has the parameter \(item.name), which medvault does not support (sslmode, sslrootcert)")
            }
        }
        self.init(
            host: host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host,
            port: components.port ?? 5432,
            username: components.percentEncodedUser.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 } ?? "postgres",
            password: components.percentEncodedPassword.flatMap { $0.removingPercentEncoding },
            database: database,
            tlsMode: tlsMode,
            rootCertificatePath: rootCertificatePath
        )
    }
}

extension PostgresLocation: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `postgres://user@host:port/database?sslmode=…`, without the password.
    package var description: String {
        "postgres://\(username)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
    }

    /// The same as ``description``.
    package var debugDescription: String { description }

    /// Only ``description``, so `dump` cannot show the password either.
    package var customMirror: Mirror { Mirror(self, children: ["location": description], displayStyle: .struct) }
}
