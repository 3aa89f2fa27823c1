import Foundation
import Testing

@testable import SigV4

/// One case of AWS's generic SigV4 test suite (`aws-signing-test-suite-v4/<name>`).
struct AWSSuiteCase {
    struct Context: Decodable {
        struct Credentials: Decodable {
            let accessKeyId: String
            let secretAccessKey: String
            let token: String?
        }

        let credentials: Credentials
        let expirationInSeconds: Int
        let normalize: Bool
        let region: String
        let service: String
        let signBody: Bool
        let timestamp: String
        let omitSessionToken: Bool?
    }

    /// `request.txt`, parsed: request line, headers (folded lines kept), body.
    struct Request {
        let method: String
        let path: String
        let query: Substring
        let version: String
        let headerLines: [String]
        let headers: [(name: String, value: String)]
        let body: String

        init(_ text: String) {
            let (head, body) = text.range(of: "\n\n").map { (text[..<$0.lowerBound], text[$0.upperBound...]) } ?? (text[...], "")
            var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            let requestLine = lines.removeFirst()
            let firstSpace = requestLine.firstIndex(of: " ") ?? requestLine.endIndex
            let lastSpace = requestLine.lastIndex(of: " ") ?? requestLine.endIndex
            self.method = String(requestLine[..<firstSpace])
            self.version = String(requestLine[requestLine.index(after: lastSpace)...])
            let target = requestLine[requestLine.index(after: firstSpace)..<lastSpace]
            let (path, query) = target.firstIndex(of: "?").map { (target[..<$0], target[target.index(after: $0)...]) } ?? (target, "")
            self.path = String(path)
            self.query = query
            self.headerLines = lines
            var headers: [(name: String, value: String)] = []
            for line in lines {
                if line.first == " " || line.first == "\t", !headers.isEmpty {
                    headers[headers.count - 1].value += "\n" + line
                } else if let colon = line.firstIndex(of: ":") {
                    headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
                }
            }
            self.headers = headers
            self.body = String(body)
        }

        var host: String { self.headers.first { $0.name.lowercased() == "host" }?.value ?? "" }
        var headersWithoutHost: [(name: String, value: String)] { self.headers.filter { $0.name.lowercased() != "host" } }
    }

    let name: String
    let context: Context
    let request: Request

    init(name: String) throws {
        self.name = name
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        self.context = try decoder.decode(Context.self, from: Data(try TestData.text("\(Self.folder)/\(name)/context.json").utf8))
        self.request = Request(try TestData.text("\(Self.folder)/\(name)/request.txt"))
    }

    func expected(_ file: String) throws -> String {
        try TestData.text("\(Self.folder)/\(self.name)/\(file)")
    }

    func signer(cache: SigningKeyCache) throws -> SigV4Signer {
        let credentials = Credentials(
            accessKeyID: self.context.credentials.accessKeyId,
            secretAccessKey: self.context.credentials.secretAccessKey,
            sessionToken: self.context.credentials.token
        )
        return try SigV4Signer(
            credentials: credentials,
            region: self.context.region,
            service: self.context.service,
            cache: cache,
            pathRule: self.context.normalize ? .normalized : .s3,
            signsContentSHA256Header: self.context.signBody
        )
    }

    var date: Date {
        get throws { try TestData.date(iso8601: self.context.timestamp) }
    }

    var payloadHash: PayloadHash { PayloadHash.sha256(of: Array(self.request.body.utf8)) }

    static let folder = "aws-signing-test-suite-v4"

    /// Every case folder, sorted.
    static let names: [String] = {
        let url = TestData.directory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }()

    /// Cases that cannot apply to an S3 signer, by name, with the reason.
    static let skipped: [String: String] = [
        // The suite adds the session token *after* signing (omit_session_token: true), as STS-style services do;
        // S3 signs x-amz-security-token / X-Amz-Security-Token, and so does this signer. Both header and query.
        "post-sts-header-after": "session token added after signing; S3 signs it"
    ]

    static let applicable: [String] = names.filter { skipped[$0] == nil }
}

/// Lowercases the header name of every `Name:value` line after the request line (names are case-insensitive;
/// the suite writes `x-amz-content-sha256` but `X-Amz-Date`), leaving values and the body byte for byte.
func normalizedHeaderNames(_ signedRequest: String) -> String {
    guard let blank = signedRequest.range(of: "\n\n") else { return signedRequest }
    let lines = signedRequest[..<blank.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
    let head = lines.enumerated().map { index, line -> String in
        guard index > 0, line.first != " ", let colon = line.firstIndex(of: ":") else { return String(line) }
        return line[..<colon].lowercased() + line[colon...]
    }
    return head.joined(separator: "\n") + signedRequest[blank.lowerBound...]
}
