import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Fetches `MEDVAULT_JWKS_URL` over HTTPS, trusting the system's CAs or only those of `MEDVAULT_JWKS_CA_FILE`.
///
/// Plain http is never used: the set decides whose tokens are accepted, so it must come from the provider and
/// nobody else (a private CA is trusted by configuring it, not by turning TLS off). Every fetch has a deadline and
/// a size limit, as every outbound call does, and redirects may not leave https.
struct HTTPSJWKSSource: JWKSSource {
    /// How long one fetch may take.
    static let timeout = TimeAmount.seconds(5)
    /// The largest set accepted (providers publish a few keys, a few KiB).
    static let maxBytes = 1 << 20

    let url: URL
    private let tls: TLSConfiguration

    /// Why a fetch failed; the message is for the server log (it names no secret).
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A source for `url`; with `trustedCAFile`, its PEM certificates are the only trusted roots. Throws
    /// ``ConfigurationError`` when that file holds no certificate.
    init(url: URL, trustedCAFile: URL?) throws(ConfigurationError) {
        self.url = url
        var tls = TLSConfiguration.makeClientConfiguration()
        if let trustedCAFile {
            guard let certificates = try? NIOSSLCertificate.fromPEMFile(trustedCAFile.path), !certificates.isEmpty else {
                throw .invalid("MEDVAULT_JWKS_CA_FILE must be a readable file of PEM certificates")
            }
            tls.trustRoots = .certificates(certificates)
        }
        self.tls = tls
    }

    func fetch() async throws -> String {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        request.tlsConfiguration = tls
        let response = try await HTTPClient.shared.execute(request, timeout: Self.timeout)
        guard response.url?.scheme?.lowercased() == "https" else { throw Failure(description: "redirected away from https") }
        guard response.status == .ok else { throw Failure(description: "HTTP \(response.status.code)") }
        let body = try await response.body.collect(upTo: Self.maxBytes)
        return String(buffer: body)
    }
}
