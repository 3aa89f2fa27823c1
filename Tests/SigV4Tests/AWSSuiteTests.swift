import Foundation
import Testing

@testable import SigV4

/// AWS's generic SigV4 test suite, every applicable case, header and query signing, byte for byte at each stage.
@Suite("AWS SigV4 test suite")
struct AWSSuiteTests {
    let cache = SigningKeyCache()

    @Test("the suite is present and only post-sts-header-after is skipped")
    func suiteIsComplete() {
        #expect(AWSSuiteCase.names.count == 38)
        #expect(AWSSuiteCase.applicable.count == 37)
        #expect(AWSSuiteCase.skipped.keys.allSatisfy(AWSSuiteCase.names.contains))
    }

    @Test("header signing", arguments: AWSSuiteCase.applicable)
    func headerSigning(name: String) throws {
        let suiteCase = try AWSSuiteCase(name: name)
        let request = suiteCase.request
        let signed = try suiteCase.signer(cache: self.cache).signHeaders(
            method: request.method,
            host: request.host,
            path: request.path,
            query: decodedQuery(request.query),
            headers: request.headersWithoutHost,
            payloadHash: suiteCase.payloadHash,
            date: try suiteCase.date
        )
        #expect(signed.canonicalRequest == (try suiteCase.expected("header-canonical-request.txt")))
        #expect(signed.stringToSign == (try suiteCase.expected("header-string-to-sign.txt")))
        #expect(signed.signature == (try suiteCase.expected("header-signature.txt")))

        // The signed request: the original head, then the added headers in the suite's order, then the body.
        let rawQuery = request.query.isEmpty ? "" : "?\(request.query)"
        let head = ["\(request.method) \(request.path)\(rawQuery) \(request.version)"] + request.headerLines
        let rendered = (head + signed.headers.map { "\($0.name):\($0.value)" }).joined(separator: "\n") + "\n\n" + request.body
        #expect(normalizedHeaderNames(rendered) == normalizedHeaderNames(try suiteCase.expected("header-signed-request.txt")))
    }

    @Test("query signing", arguments: AWSSuiteCase.applicable)
    func querySigning(name: String) throws {
        let suiteCase = try AWSSuiteCase(name: name)
        let request = suiteCase.request
        let presigned = try suiteCase.signer(cache: self.cache).presignedRequest(
            method: request.method,
            scheme: "https",
            host: request.host,
            path: request.path,
            query: decodedQuery(request.query),
            headers: request.headersWithoutHost,
            payloadHash: suiteCase.payloadHash,
            expires: suiteCase.context.expirationInSeconds,
            date: try suiteCase.date
        )
        #expect(String(decoding: presigned.canonicalRequest, as: UTF8.self) == (try suiteCase.expected("query-canonical-request.txt")))
        #expect(String(decoding: presigned.stringToSign, as: UTF8.self) == (try suiteCase.expected("query-string-to-sign.txt")))
        #expect(presigned.signature == (try suiteCase.expected("query-signature.txt")))

        // The signed request: same method, path and headers; the same query parameters (order aside).
        let expected = AWSSuiteCase.Request(try suiteCase.expected("query-signed-request.txt"))
        let (base, query) = splitURL(presigned.url)
        let prefix = "https://\(request.host)"
        #expect(base.hasPrefix(prefix))
        let urlPath = base.dropFirst(prefix.count)
        #expect(String(decoding: URIEncoding.percentDecoded(urlPath.utf8) ?? [], as: UTF8.self) == expected.path)
        #expect(querySet(query) == querySet(expected.query))
        #expect(expected.method == request.method)
        #expect(expected.headerLines == request.headerLines)
        #expect(expected.body == request.body)
    }
}
