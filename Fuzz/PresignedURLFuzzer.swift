import Foundation

@testable import SigV4

/// libFuzzer's entry point for the `presigned-url` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPresignedURL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    PresignedURLFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Fuzzes the pre-signed URL verifier and the URI encoding under it. The first byte picks one of three modes:
///
/// 0. A request as received (method, raw path, raw query and header lines): verifying it never crashes, and
///    when it succeeds the verification agrees with itself (the signed headers include `host`, the window is at
///    most 7 days and contains `now`).
/// 1. Signing inputs (method, path, query parameters, extra headers, expiry): every URL the signer makes verifies,
///    with the expiry and signed headers it was made with, until exactly its expiry and not after, not with
///    another path or method, and also with one character escaped that needed none.
/// 2. Bytes to encode and decode: AWS URI encoding writes only unreserved characters and `%XX`, decoding gives
///    the bytes back, comparing encodings without building them agrees with comparing them built, and path
///    normalisation is idempotent.
enum PresignedURLFuzzer {
    static let credentials = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let region = "us-east-1"
    static let host = "127.0.0.1:8080"
    /// The signing date of mode 1 and "now" of mode 0: 2026-12-07T12:00:00Z.
    static let date = Date(timeIntervalSince1970: 1_796_644_800)
    static let methods = ["GET", "PUT", "HEAD", "DELETE", "POST"]

    static let cache = SigningKeyCache()
    static let verifier = PresignedURLVerifier(region: region, cache: cache) { accessKeyID in
        accessKeyID == credentials.accessKeyID ? credentials.secretAccessKey : nil
    }

    static func run(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        switch input.byte() % 3 {
        case 0: verifyReceived(&input)
        case 1: signAndVerify(&input)
        default: encodeAndDecode(&input)
        }
    }

    // MARK: - Mode 0: a request as received

    private static func verifyReceived(_ input: inout FuzzInput) {
        let method = input.text(maxLength: 16)
        let rawPath = input.text(maxLength: 512)
        let rawQuery = input.text(maxLength: 2048)
        var headers: [(name: String, value: String)] = []
        while !input.isEmpty, headers.count < 8 {
            headers.append((input.text(separator: UInt8(ascii: ":"), maxLength: 64), input.text(maxLength: 256)))
        }
        guard let verification = try? verifier.verify(method: method, rawPath: rawPath, rawQuery: rawQuery, headers: headers, now: date)
        else { return }
        invariant(verification.accessKeyID == credentials.accessKeyID, "a URL verified for an unknown access key")
        invariant(verification.signedHeaders.contains("host"), "a URL verified without a signed host header")
        let window = verification.expiresAt.timeIntervalSince(verification.signedAt)
        invariant((1...Double(SigV4Signer.expiryRange.upperBound)).contains(window), "a URL verified valid for \(window) s")
        invariant(date <= verification.expiresAt, "an expired URL verified")
        invariant(verification.signedAt.timeIntervalSince(date) <= Double(verifier.allowedClockSkew), "a future URL verified")
    }

    // MARK: - Mode 1: what the signer makes, the verifier accepts

    private static func signAndVerify(_ input: inout FuzzInput) {
        let method = methods[Int(input.byte()) % methods.count]
        let expires = 1 + input.uint16() * 9
        let parameterCount = Int(input.byte() % 4)
        let headerCount = Int(input.byte() % 3)
        let escapedCharacter = input.uint16()
        let path = input.text(maxLength: 256)
        let query = (0..<parameterCount).map { _ in
            (name: input.text(separator: UInt8(ascii: "="), maxLength: 32), value: input.text(maxLength: 128))
        }
        let headers = (0..<headerCount).map { _ in
            (name: input.text(separator: UInt8(ascii: ":"), maxLength: 32), value: input.text(maxLength: 128))
        }
        let url: String
        do {
            let signer = try SigV4Signer(credentials: credentials, region: region, cache: cache)
            url = try signer.presign(
                method: method,
                scheme: "http",
                host: host,
                path: path,
                query: query,
                headers: headers,
                expires: expires,
                date: date
            )
        } catch {
            return  // inputs the signer refuses (an X-Amz-* parameter, a header name that is not a token, …)
        }
        let (rawPath, rawQuery) = split(url)
        let sent = [(name: "Host", value: host)] + headers
        func verify(
            method: String = method,
            path: String = rawPath,
            query: String = rawQuery,
            at now: Date
        ) -> Result<PresignedURLVerifier.Verification, SigV4VerificationError> {
            Result { () throws(SigV4VerificationError) in
                try verifier.verify(method: method, rawPath: path, rawQuery: query, headers: sent, now: now)
            }
        }
        guard case .success(let verification) = verify(at: date) else {
            invariant(false, "a URL the signer made does not verify: \(verify(at: date))")
            return
        }
        let expectedHeaders = Set(["host"] + headers.map { $0.name.lowercased() }).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        invariant(verification.signedHeaders == expectedHeaders, "signed headers \(verification.signedHeaders), not \(expectedHeaders)")
        invariant(verification.expiresAt == date.addingTimeInterval(Double(expires)), "the URL expires at \(verification.expiresAt)")
        let expiry = date.addingTimeInterval(Double(expires))
        invariant((try? verify(at: expiry).get()) != nil, "the URL does not verify at the moment it expires")
        invariant(verify(at: expiry.addingTimeInterval(1)) == .failure(.expired), "the URL verifies after it expired")
        invariant(verify(path: rawPath + "x", at: date) == .failure(.signatureMismatch), "the URL verifies for another path")
        invariant(verify(method: method + "X", at: date) == .failure(.signatureMismatch), "the URL verifies for another method")
        let (equivalentPath, equivalentQuery) = escaping(oneOf: (rawPath, rawQuery), choice: escapedCharacter)
        let equivalent = verify(path: equivalentPath, query: equivalentQuery, at: date)
        invariant((try? equivalent.get()) != nil, "an equivalent encoding of the URL does not verify: \(equivalent)")
    }

    /// The URL's path and query with one unreserved character (not one of an escape's digits) written as an escape,
    /// lowercase or uppercase: the same URL to S3, which compares decoded values.
    private static func escaping(oneOf url: (path: String, query: String), choice: Int) -> (path: String, query: String) {
        var bytes = Array("\(url.path)?\(url.query)".utf8)
        var candidates: [Int] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                index += 3
                continue
            }
            if URIEncoding.isUnreserved(bytes[index]) { candidates.append(index) }
            index += 1
        }
        guard !candidates.isEmpty else { return url }
        let position = candidates[choice % candidates.count]
        let escape = String(bytes[position], radix: 16, uppercase: (choice / candidates.count) % 2 == 0)
        bytes.replaceSubrange(position...position, with: Array("%\(escape)".utf8))
        let question = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.endIndex
        return (String(decoding: bytes[..<question], as: UTF8.self), String(decoding: bytes[(question + 1)...], as: UTF8.self))
    }

    /// The raw path and raw query of `http://host/path?query`.
    private static func split(_ url: String) -> (path: String, query: String) {
        let afterHost = url.utf8.dropFirst("http://\(host)".utf8.count)
        let question = afterHost.firstIndex(of: UInt8(ascii: "?")) ?? afterHost.endIndex
        let query = question == afterHost.endIndex ? afterHost[question...] : afterHost[afterHost.index(after: question)...]
        return (String(decoding: afterHost[..<question], as: UTF8.self), String(decoding: query, as: UTF8.self))
    }

    // MARK: - Mode 2: URI encoding

    private static func encodeAndDecode(_ input: inout FuzzInput) {
        let keepSlash = input.byte() & 1 == 1
        let first = Array(input.field(maxLength: 256))
        let second = input.rest()
        for bytes in [first, second] {
            var encoded: [UInt8] = []
            URIEncoding.appendEncoded(bytes, keepSlash: keepSlash, to: &encoded)
            invariant(isWellFormedEncoding(encoded, keepSlash: keepSlash), "the encoding has a character it should have escaped")
            invariant(URIEncoding.percentDecoded(encoded) == bytes, "decoding the encoding does not give the bytes back")
            if let decoded = URIEncoding.percentDecoded(bytes) {
                var again: [UInt8] = []
                URIEncoding.appendEncoded(decoded, keepSlash: keepSlash, to: &again)
                invariant(URIEncoding.percentDecoded(again) == decoded, "decoding is not stable under re-encoding")
            }
            let normalized = CanonicalURI.normalized(bytes)
            invariant(normalized.first == UInt8(ascii: "/"), "a normalised path does not start with /")
            invariant(CanonicalURI.normalized(normalized) == normalized, "path normalisation is not idempotent")
        }
        var encodedFirst: [UInt8] = []
        var encodedSecond: [UInt8] = []
        URIEncoding.appendEncoded(first, keepSlash: false, to: &encodedFirst)
        URIEncoding.appendEncoded(second, keepSlash: false, to: &encodedSecond)
        let built = encodedFirst == encodedSecond ? 0 : (encodedFirst.lexicographicallyPrecedes(encodedSecond) ? -1 : 1)
        invariant(URIEncoding.compareEncoded(first, second) == built, "compareEncoded disagrees with the encodings' order")
    }

    private static func isWellFormedEncoding(_ encoded: [UInt8], keepSlash: Bool) -> Bool {
        var index = 0
        while index < encoded.count {
            let byte = encoded[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < encoded.count, isUpperHex(encoded[index + 1]), isUpperHex(encoded[index + 2]) else { return false }
                index += 3
            } else {
                guard URIEncoding.isKept(byte, keepSlash: keepSlash) else { return false }
                index += 1
            }
        }
        return true
    }

    private static func isUpperHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
