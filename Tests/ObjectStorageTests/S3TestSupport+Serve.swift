import Foundation
import Logging
import NIOCore
import Synchronization

@testable import ObjectStorage

extension FakeS3 {
    /// Answers a request the way S3 does (path-style: `/bucket/key`).
    func serve(_ request: RecordedRequest, state: inout State) -> S3HTTPResponse {
        let prefix = "/\(self.bucket)"
        guard request.path == prefix || request.path.hasPrefix(prefix + "/") else { return Self.error(404, "NoSuchBucket") }
        let key = String(request.path.dropFirst(prefix.count + 1))
        switch request.operation {
        case "PutObject":
            let etag = Self.md5ETag(request.body)
            let (algorithm, kmsKeyID) = Self.applied(request, state.encryption)
            state.objects[key] = StoredObject(
                bytes: request.body,
                contentType: request.header("content-type"),
                serverSideEncryption: algorithm,
                etag: etag,
                kmsKeyID: kmsKeyID
            )
            return Self.response(200, headers: self.sseHeaders(algorithm, kmsKeyID: kmsKeyID) + [("ETag", etag)])
        case "CreateMultipartUpload":
            let uploadID = "upload-\(state.nextUploadID)"
            state.nextUploadID += 1
            let (algorithm, kmsKeyID) = Self.applied(request, state.encryption)
            state.uploads[uploadID] = Upload(
                key: key,
                contentType: request.header("content-type"),
                serverSideEncryption: algorithm,
                kmsKeyID: kmsKeyID
            )
            return Self.response(
                200,
                headers: self.sseHeaders(algorithm, kmsKeyID: kmsKeyID),
                body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + "<Bucket>\(self.bucket)</Bucket><Key>\(S3Documents.escaped(key))</Key><UploadId>\(uploadID)</UploadId></InitiateMultipartUploadResult>"
            )
        case "UploadPart":
            guard let uploadID = request.query["uploadId"], state.uploads[uploadID] != nil,
                let number = request.query["partNumber"].flatMap({ Int($0) })
            else { return Self.error(404, "NoSuchUpload") }
            state.uploads[uploadID]?.parts[number] = request.body
            return Self.response(200, headers: [("ETag", Self.md5ETag(request.body))])
        case "CompleteMultipartUpload":
            guard let uploadID = request.query["uploadId"], let upload = state.uploads[uploadID] else { return Self.error(404, "NoSuchUpload") }
            guard let document = try? S3XMLReader.parse(request.body) else { return Self.error(400, "MalformedXML") }
            var bytes: [UInt8] = []
            var md5s: [UInt8] = []
            for part in document.children("Part") {
                guard let number = part.text(of: "PartNumber").flatMap({ Int($0) }), let stored = upload.parts[number],
                    part.text(of: "ETag") == Self.md5ETag(stored)
                else { return Self.error(400, "InvalidPart") }
                bytes += stored
                md5s += Array(Self.md5ETag(stored).dropFirst().dropLast().utf8)
            }
            let count = document.children("Part").count
            let etag = "\"" + Self.md5ETag(md5s).dropFirst().dropLast() + "-\(count)\""
            state.objects[upload.key] = StoredObject(
                bytes: bytes,
                contentType: upload.contentType,
                serverSideEncryption: upload.serverSideEncryption,
                etag: etag,
                kmsKeyID: upload.kmsKeyID
            )
            state.uploads[uploadID] = nil
            return Self.response(
                200,
                headers: self.sseHeaders(upload.serverSideEncryption, kmsKeyID: upload.kmsKeyID),
                body:
                    "<CompleteMultipartUploadResult><Key>\(S3Documents.escaped(upload.key))</Key><ETag>\(S3Documents.escaped(etag))</ETag></CompleteMultipartUploadResult>"
            )
        case "AbortMultipartUpload":
            guard let uploadID = request.query["uploadId"], state.uploads.removeValue(forKey: uploadID) != nil else {
                return Self.error(404, "NoSuchUpload")
            }
            return Self.response(204)
        case "DeleteObject":
            state.objects[key] = nil
            return Self.response(204)
        case "CopyObject":
            let source = request.header("x-amz-copy-source")?.removingPercentEncoding ?? ""
            guard source.hasPrefix(self.bucket + "/"), let object = state.objects[String(source.dropFirst(self.bucket.count + 1))] else {
                return Self.error(404, "NoSuchKey")
            }
            let (algorithm, kmsKeyID) = Self.applied(request, state.encryption)
            state.objects[key] = StoredObject(
                bytes: object.bytes,
                contentType: object.contentType,
                serverSideEncryption: algorithm,
                etag: object.etag,
                kmsKeyID: kmsKeyID
            )
            return Self.response(
                200,
                headers: self.sseHeaders(algorithm, kmsKeyID: kmsKeyID),
                body: "<CopyObjectResult><ETag>\(S3Documents.escaped(object.etag))</ETag></CopyObjectResult>"
            )
        case "HeadObject", "GetObject":
            guard let object = state.objects[key] else { return Self.error(404, request.method == "HEAD" ? nil : "NoSuchKey") }
            var headers: [(name: String, value: String)] = [
                ("ETag", object.etag), ("Last-Modified", "Sun, 22 Nov 2026 10:00:00 GMT"),
                ("Content-Type", object.contentType ?? "binary/octet-stream"),
            ]
            headers += self.sseHeaders(object.serverSideEncryption, kmsKeyID: object.kmsKeyID)
            if request.method == "GET", let range = request.header("range"), let bounds = Self.byteRange(range) {
                guard bounds.upperBound < object.bytes.count else { return Self.error(416, "InvalidRange") }
                headers += [
                    ("Content-Length", "\(bounds.count)"), ("Content-Range", "bytes \(bounds.lowerBound)-\(bounds.upperBound)/\(object.bytes.count)"),
                ]
                return Self.response(206, headers: headers, bytes: Array(object.bytes[bounds]))
            }
            headers.append(("Content-Length", "\(object.bytes.count)"))
            return Self.response(200, headers: headers, bytes: request.method == "HEAD" ? [] : object.bytes)
        case "ListObjectsV2":
            return self.listObjects(request, state: state)
        default:
            let uploads = state.uploads.sorted { $0.key < $1.key }.map {
                "<Upload><Key>\(S3Documents.escaped($0.value.key))</Key><UploadId>\($0.key)</UploadId></Upload>"
            }
            return Self.response(
                200,
                body: "<ListMultipartUploadsResult><IsTruncated>false</IsTruncated>\(uploads.joined())</ListMultipartUploadsResult>"
            )
        }
    }

    private func listObjects(_ request: RecordedRequest, state: State) -> S3HTTPResponse {
        let prefix = request.query["prefix"] ?? ""
        let maxKeys = request.query["max-keys"].flatMap { Int($0) } ?? 1000
        let after = request.query["continuation-token"] ?? ""
        let keys = state.objects.keys.filter { $0.hasPrefix(prefix) && $0 > after }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let page = keys.prefix(maxKeys)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        xml += "<Name>\(self.bucket)</Name><KeyCount>\(page.count)</KeyCount><IsTruncated>\(keys.count > page.count)</IsTruncated>"
        if keys.count > page.count, let last = page.last { xml += "<NextContinuationToken>\(S3Documents.escaped(last))</NextContinuationToken>" }
        for key in page {
            let object = state.objects[key]
            xml += "<Contents><Key>\(S3Documents.escaped(key))</Key><LastModified>2026-11-22T10:00:00.000Z</LastModified>"
            xml +=
                "<ETag>\(S3Documents.escaped(object?.etag ?? ""))</ETag><Size>\(object?.bytes.count ?? 0)</Size><StorageClass>STANDARD</StorageClass></Contents>"
        }
        return Self.response(200, body: xml + "</ListBucketResult>")
    }

    /// The echo of an object's encryption: the algorithm and, for SSE-KMS, the key (as S3 does on every write and read).
    private func sseHeaders(_ algorithm: String?, kmsKeyID: String?) -> [(name: String, value: String)] {
        (algorithm.map { [("x-amz-server-side-encryption", $0)] } ?? [])
            + (kmsKeyID.map { [("x-amz-server-side-encryption-aws-kms-key-id", $0)] } ?? [])
    }

    /// The encryption a write gets: what it asked for, unless the fake was told to ignore or substitute it.
    private static func applied(_ request: RecordedRequest, _ encryption: Encryption) -> (algorithm: String?, kmsKeyID: String?) {
        switch encryption {
        case .honoured: (request.header("x-amz-server-side-encryption"), request.header("x-amz-server-side-encryption-aws-kms-key-id"))
        case .ignored: (nil, nil)
        case .substituted(let algorithm): (algorithm, nil)
        }
    }

    static func error(_ status: Int, _ code: String?) -> S3HTTPResponse {
        response(status, headers: [("x-amz-request-id", "FAKE-REQUEST")], body: code.map { "<Error><Code>\($0)</Code><Message>m</Message></Error>" })
    }

    static func byteRange(_ header: String) -> ClosedRange<Int>? {
        guard header.hasPrefix("bytes=") else { return nil }
        let bounds = header.dropFirst(6).split(separator: "-").compactMap { Int($0) }
        return bounds.count == 2 && bounds[0] <= bounds[1] ? bounds[0]...bounds[1] : nil
    }
}

/// A log handler that keeps every message with its level and metadata, to check what the store logs.
struct CapturingLogHandler: LogHandler {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    final class Box: Sendable {
        let entries = Mutex<[Entry]>([])
        var all: [Entry] { self.entries.withLock { $0 } }
    }

    let box: Box
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        let entry = Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" })
        self.box.entries.withLock { $0.append(entry) }
    }
}
