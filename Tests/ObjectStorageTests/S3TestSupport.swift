import Crypto
import Foundation
import Logging
import NIOCore
import SigV4
import Synchronization

@testable import ObjectStorage

/// An in-memory S3 behind the `S3Transport` seam: enough of PutObject, multipart upload, GetObject (with Range),
/// HeadObject, DeleteObject, CopyObject, ListObjectsV2 and ListMultipartUploads to exercise the store's decisions,
/// plus scripted faults. Records every request.
final class FakeS3: S3Transport {
    struct StoredObject {
        var bytes: [UInt8]
        var contentType: String?
        var serverSideEncryption: String?
        var etag: String
        var kmsKeyID: String? = nil
    }

    struct Upload {
        var key: String
        var contentType: String?
        var serverSideEncryption: String?
        var parts: [Int: [UInt8]] = [:]
        var kmsKeyID: String? = nil
    }

    /// What the fake does with the server-side encryption a write asks for.
    enum Encryption {
        /// Applies it and echoes it, as S3 does.
        case honoured
        /// Stores the object unencrypted and echoes nothing (an endpoint or gateway without SSE).
        case ignored
        /// Applies and echoes this algorithm instead, without a KMS key.
        case substituted(String)
    }

    /// A scripted failure: the next `count` requests that `matches` accepts get `answer` instead.
    struct Fault {
        enum Answer {
            case status(Int, code: String?, retryAfter: Int? = nil)
            case transport(S3TransportError.Kind)
            /// A 200 whose body is an `<Error>` document (CompleteMultipartUpload, CopyObject).
            case embeddedError(code: String)
            /// The request takes effect, but its answer is lost on the way back.
            case lostAnswer
        }
        var matches: @Sendable (RecordedRequest) -> Bool
        var answer: Answer
        var count: Int
    }

    /// One request as the fake saw it, decoded.
    struct RecordedRequest: Sendable {
        var method: String
        var url: String
        var path: String
        var query: [String: String]
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The S3 call this request is, as the fake routes it.
        var operation: String {
            switch self.method {
            case "PUT":
                if self.query["partNumber"] != nil { return "UploadPart" }
                return self.header("x-amz-copy-source") != nil ? "CopyObject" : "PutObject"
            case "POST": return self.query["uploads"] != nil ? "CreateMultipartUpload" : "CompleteMultipartUpload"
            case "DELETE": return self.query["uploadId"] != nil ? "AbortMultipartUpload" : "DeleteObject"
            case "HEAD": return "HeadObject"
            default:
                if self.query["list-type"] != nil { return "ListObjectsV2" }
                return self.query["uploads"] != nil ? "ListMultipartUploads" : "GetObject"
            }
        }
    }

    struct State {
        var objects: [String: StoredObject] = [:]
        var uploads: [String: Upload] = [:]
        var requests: [RecordedRequest] = []
        var faults: [Fault] = []
        var nextUploadID = 1
        var encryption = Encryption.honoured
    }

    let bucket: String
    let state = Mutex(State())

    init(bucket: String = "medvault-test") {
        self.bucket = bucket
    }

    var requests: [RecordedRequest] { self.state.withLock { $0.requests } }
    var operations: [String] { self.requests.map(\.operation) }
    var objects: [String: StoredObject] { self.state.withLock { $0.objects } }
    var pendingUploadCount: Int { self.state.withLock { $0.uploads.count } }

    func inject(_ answer: Fault.Answer, count: Int = 1, when matches: @escaping @Sendable (RecordedRequest) -> Bool) {
        self.state.withLock { $0.faults.append(Fault(matches: matches, answer: answer, count: count)) }
    }

    /// From now on, treats the encryption writes ask for as `encryption` says.
    func encrypt(_ encryption: Encryption) {
        self.state.withLock { $0.encryption = encryption }
    }

    func inject(_ answer: Fault.Answer, count: Int = 1, operation: String) {
        self.inject(answer, count: count) { $0.operation == operation }
    }

    func execute(_ request: S3HTTPRequest, deadline: NIODeadline, logger: Logger) async throws(S3TransportError) -> S3HTTPResponse {
        let recorded = Self.decode(request)
        let outcome: Result<S3HTTPResponse, S3TransportError> = self.state.withLock { state in
            state.requests.append(recorded)
            if let index = state.faults.firstIndex(where: { $0.count > 0 && $0.matches(recorded) }) {
                state.faults[index].count -= 1
                switch state.faults[index].answer {
                case .status(let status, let code, let retryAfter):
                    var headers: [(name: String, value: String)] = [("x-amz-request-id", "FAKE-REQUEST")]
                    if let retryAfter { headers.append(("Retry-After", "\(retryAfter)")) }
                    let body = code.map { "<?xml version=\"1.0\"?><Error><Code>\($0)</Code><Message>m</Message><Key>\(recorded.path)</Key></Error>" }
                    return .success(Self.response(status, headers: headers, body: recorded.method == "HEAD" ? nil : body))
                case .transport(let kind):
                    return .failure(S3TransportError(kind: kind, underlying: FakeNetworkError()))
                case .embeddedError(let code):
                    return .success(Self.response(200, body: "\n\n<Error><Code>\(code)</Code><Message>m</Message></Error>"))
                case .lostAnswer:
                    _ = self.serve(recorded, state: &state)
                    return .failure(S3TransportError(kind: .network, underlying: FakeNetworkError()))
                }
            }
            return .success(self.serve(recorded, state: &state))
        }
        return try outcome.get()
    }

    struct FakeNetworkError: Error {}

    static func response(_ status: Int, headers: [(name: String, value: String)] = [], body: String? = nil) -> S3HTTPResponse {
        response(status, headers: headers, bytes: body.map { Array($0.utf8) } ?? [])
    }

    static func response(_ status: Int, headers: [(name: String, value: String)] = [], bytes: [UInt8]) -> S3HTTPResponse {
        S3HTTPResponse(
            status: status,
            headers: headers + [("Date", "Mon, 23 Nov 2026 16:21:36 GMT")],
            body: S3BufferedBody(bytes.isEmpty ? [] : [ByteBuffer(bytes: bytes)])
        )
    }

    static func decode(_ request: S3HTTPRequest) -> RecordedRequest {
        let afterScheme = request.url.split(separator: "://", maxSplits: 1).last.map(String.init) ?? ""
        let pathAndQuery = afterScheme.drop { $0 != "/" }
        let parts = pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[String(nameValue[0]).removingPercentEncoding ?? ""] =
                    nameValue.count > 1 ? String(nameValue[1]).removingPercentEncoding ?? "" : ""
            }
        }
        return RecordedRequest(
            method: request.method,
            url: request.url,
            path: String(parts[0]).removingPercentEncoding ?? "",
            query: query,
            headers: request.headers,
            body: request.body.map { Array($0.readableBytesView) } ?? []
        )
    }

    static func md5ETag(_ bytes: [UInt8]) -> String {
        "\"" + Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined() + "\""
    }
}

/// Builds stores over a ``FakeS3`` with a fixed clock, fixed jitter and recorded (not slept) pauses.
enum S3Fixture {
    static let credentials = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    /// 2026-11-23T16:21:36Z, the fake's `Date` header.
    static let date = Date(timeIntervalSince1970: 1_795_450_896)
    /// 2026-11-22T10:00:00Z, the fake's `Last-Modified`.
    static let lastModified = Date(timeIntervalSince1970: 1_795_341_600)

    /// The pauses the store asked for between attempts.
    final class Pauses: Sendable {
        let recorded = Mutex<[Duration]>([])
        var all: [Duration] { self.recorded.withLock { $0 } }
    }

    static func configuration(
        partSize: Int = 16,
        kmsKeyID: String? = nil,
        retryPolicy: S3RetryPolicy = S3RetryPolicy(),
        sendsChecksum: Bool = true
    ) -> S3StoreConfiguration {
        S3StoreConfiguration(
            credentials: credentials,
            region: "us-east-1",
            bucket: "medvault-test",
            endpoint: "http://127.0.0.1:9000",
            kmsKeyID: kmsKeyID,
            partSize: partSize,
            sendsChecksum: sendsChecksum,
            retryPolicy: retryPolicy
        )
    }

    static func store(
        _ fake: FakeS3,
        partSize: Int = 16,
        kmsKeyID: String? = nil,
        retryPolicy: S3RetryPolicy = S3RetryPolicy(),
        sendsChecksum: Bool = true,
        pauses: Pauses = Pauses()
    ) throws -> S3ObjectStore {
        try S3ObjectStore(
            configuration: configuration(partSize: partSize, kmsKeyID: kmsKeyID, retryPolicy: retryPolicy, sendsChecksum: sendsChecksum),
            transport: fake,
            environment: S3Environment(
                now: { date },
                random: { 0.5 },
                sleep: { pause in pauses.recorded.withLock { $0.append(pause) } }
            )
        )
    }

    /// Uploads `bytes` through a writer in pieces of `pieceSize`.
    @discardableResult
    static func put(
        _ store: some ObjectStore,
        _ bytes: [UInt8],
        key: String,
        pieceSize: Int = 7,
        logger: Logger = testLogger
    ) async throws -> ObjectInfo {
        let writer = try await store.makeWriter(key: key, contentType: "application/pdf", logger: logger)
        var start = 0
        while start < bytes.count {
            let end = min(start + pieceSize, bytes.count)
            try await writer.write(ByteBuffer(bytes: bytes[start..<end]))
            start = end
        }
        return try await writer.finish().info
    }

    /// Reads an object (or a range) back into memory.
    static func get(_ store: some ObjectStore, _ key: String, range: ClosedRange<Int64>? = nil) async throws -> [UInt8] {
        let stream = try await store.read(key: key, range: range, logger: testLogger)
        var bytes: [UInt8] = []
        for try await buffer in stream.body {
            bytes += buffer.readableBytesView
        }
        return bytes
    }
}
