import Foundation
import Logging
import ObjectStorage
import SigV4

extension SelfCheck {
    /// (4) Signs a 60-second GET URL for the sample object and follows it with a real HTTP GET: the bytes must come
    /// back unchanged. For the local store see ``PresignedURLProbe`` (a server answers 404 after accepting the
    /// signature, because self-check objects have no document record; without a server the URL is verified in
    /// process); in both cases the object is then read from the store.
    func checkPresignedURL(_ store: any ObjectStore, run: SelfCheckRun, logger: Logger) async throws(SelfCheckFailure) -> String {
        let sample = try await sample(in: store, run: run, logger: logger)
        let url = try presign(sample, expires: 60)
        switch try await probe.follow(url) {
        case .http(let response, let host):
            if response.status == 200 {
                guard response.body == sample.bytes else {
                    throw SelfCheckFailure("GET of the URL from \(host) answered 200 with \(response.body.count) bytes that differ from the object.")
                }
                return
                    "GET of a 60-second URL from \(host) answered 200 with the object's \(sample.bytes.count) bytes (\(response.contentType ?? "no content type"))."
            }
            let code = PresignedURLProbe.errorCode(of: response)
            guard probe.local != nil, response.status == 404, code == "not_found" else {
                throw SelfCheckFailure(
                    "GET of the URL from \(host) answered HTTP \(response.status)\(code.map { " (\($0))" } ?? "") instead of the object."
                )
            }
            try await expectSample(sample, at: sample.key, in: store, logger: logger)
            return "medvault at \(host) accepted the URL's signature (it answers 404 because self-check objects have no document "
                + "record); the object read from the store matches."
        case .verifiedInProcess(.success(let key), let host):
            try await expectSample(sample, at: key, in: store, logger: logger)
            return "No server is listening at \(host) (command line), so the URL was verified with medvault's own SigV4 verifier, "
                + "as its server does, and the object it names was read from the store: the bytes match."
        case .verifiedInProcess(.failure(let error), _):
            throw SelfCheckFailure("medvault's SigV4 verifier refused a fresh URL: \(error.code).")
        }
    }

    /// (5) A URL valid for 1 second is refused once it has expired (after ``expiryWait``): HTTP 403 from S3, the
    /// verifier's `expired` for the local store.
    func checkExpiry(_ store: any ObjectStore, run: SelfCheckRun, logger: Logger) async throws(SelfCheckFailure) -> String {
        let sample = try await sample(in: store, run: run, logger: logger)
        let url = try presign(sample, expires: 1)
        try? await Task.sleep(for: expiryWait)
        let waited = "\(expiryWait.components.seconds) s"
        return try await expectRefusal(of: url, as: .expired, what: "A 1-second URL followed \(waited) after signing")
    }

    /// (6) A URL with one hex digit of its signature changed is refused: HTTP 403 from S3, the verifier's
    /// `signature_mismatch` for the local store.
    func checkTamperedURL(_ store: any ObjectStore, run: SelfCheckRun, logger: Logger) async throws(SelfCheckFailure) -> String {
        let sample = try await sample(in: store, run: run, logger: logger)
        guard let url = PresignedURLProbe.tampered(try presign(sample, expires: 60)) else {
            throw SelfCheckFailure("The pre-signed URL has no X-Amz-Signature to tamper with.")
        }
        return try await expectRefusal(of: url, as: .signatureMismatch, what: "A URL with one signature digit changed")
    }

    /// Follows `url` and requires a refusal: 403 (with `refusal`'s code from medvault), or the verifier's `refusal`.
    private func expectRefusal(of url: String, as refusal: SigV4VerificationError, what: String) async throws(SelfCheckFailure) -> String {
        switch try await probe.follow(url) {
        case .http(let response, let host):
            let code = PresignedURLProbe.errorCode(of: response)
            let shown = code.map { " (\($0))" } ?? ""
            guard response.status == 403 else {
                throw SelfCheckFailure(
                    response.status == 200
                        ? "\(what) was served (HTTP 200) by \(host): it does not check pre-signed URLs."
                        : "\(what) got HTTP \(response.status)\(shown) from \(host), not 403."
                )
            }
            if probe.local != nil, code != refusal.code {
                throw SelfCheckFailure("\(what) was refused by \(host) as \(code ?? "unknown"), not \(refusal.code).")
            }
            return "\(what) was refused by \(host) with HTTP 403\(shown)."
        case .verifiedInProcess(let result, let host):
            guard case .failure(let error) = result, error == refusal else {
                throw SelfCheckFailure("\(what) was not refused as \(refusal.code) by medvault's SigV4 verifier.")
            }
            return "\(what) was refused as \(error.code) by medvault's SigV4 verifier (no server is listening at \(host))."
        }
    }

    /// A GET URL for the sample, signed now, pinning its content type and a download file name.
    private func presign(_ sample: SelfCheckRun.Sample, expires: Int) throws(SelfCheckFailure) -> String {
        guard let presignedURLs else { throw SelfCheckFailure("The store has no pre-signed URL issuer.") }
        do {
            return try presignedURLs.presignedGetURL(
                key: sample.key,
                expires: expires,
                responseContentType: sample.contentType,
                responseContentDisposition: "attachment; filename=\"selftest-sample.txt\"",
                date: now()
            )
        } catch {
            throw SelfCheckFailure("Signing a URL", error: error)
        }
    }

    /// Reads `key` from the store and requires the sample's bytes.
    private func expectSample(_ sample: SelfCheckRun.Sample, at key: String, in store: any ObjectStore, logger: Logger) async throws(SelfCheckFailure)
    {
        guard key == sample.key else { throw SelfCheckFailure("The URL names another object than the one it was signed for.") }
        let bytes = try await attempt("Reading the object") { try await readAll(key, from: store, logger: logger) }
        guard bytes == sample.bytes else { throw SelfCheckFailure("The object read from the store differs from what was written.") }
    }

    /// The prober for this store's URLs.
    var probe: PresignedURLProbe {
        let awsEndpoint = URL(string: S3Addressing.defaultEndpoint(region: settings.region))
        let route = settings.s3.flatMap { s3 in
            s3.publicEndpoint.map { publicEndpoint in (public: publicEndpoint, reachable: s3.endpoint ?? awsEndpoint ?? publicEndpoint) }
        }
        return PresignedURLProbe(fetcher: fetcher, local: presignedURLs as? LocalPresignedURLs, route: route, now: now)
    }
}
