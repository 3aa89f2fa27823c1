import Documents
import Foundation

/// The S3 XML documents the store reads (and the one it writes), as values ("Amazon S3 API reference":
/// ListObjectsV2, CreateMultipartUpload, CompleteMultipartUpload, ListMultipartUploads, Error responses).
enum S3Documents {
    /// The parts of an `<Error>` body worth keeping (see ``S3ServiceError`` for why not the message).
    struct ErrorBody: Sendable, Equatable {
        /// `Code`, e.g. `NoSuchKey`.
        var code: String?
        /// `RequestId`.
        var requestID: String?
    }

    /// The error in `bytes` if they are an `<Error>` document; nil for anything else (an empty or HTML body, a
    /// success document), so a 200 answer can be checked for an embedded error.
    static func errorBody(_ bytes: [UInt8]) -> ErrorBody? {
        guard let root = try? S3XMLReader.parse(bytes), root.name == "Error" else { return nil }
        return ErrorBody(code: root.text(of: "Code"), requestID: root.text(of: "RequestId"))
    }

    /// One page of ListObjectsV2 (`ListBucketResult`).
    struct ObjectPage: Sendable, Equatable {
        /// The objects, with key, size, ETag and last-modified time; no content type or SSE (S3 does not list them).
        var objects: [ObjectInfo]
        /// `NextContinuationToken` when `IsTruncated` is true.
        var nextContinuationToken: String?
    }

    /// Parses a `ListBucketResult`; keys are percent-decoded when the server says `EncodingType` is `url`.
    static func objectPage(_ bytes: [UInt8]) throws(S3XMLError) -> ObjectPage {
        let root = try S3XMLReader.parse(bytes)
        guard root.name == "ListBucketResult" else { throw S3XMLError(reason: "expected ListBucketResult", offset: 0) }
        let urlEncoded = root.text(of: "EncodingType")?.lowercased() == "url"
        var objects: [ObjectInfo] = []
        for contents in root.children("Contents") {
            guard var key = contents.text(of: "Key"),
                let size = contents.text(of: "Size").flatMap({ Int64($0.trimmingCharacters(in: .whitespaces)) }), size >= 0,
                let modified = contents.text(of: "LastModified").flatMap({ S3DateParser.iso8601($0.trimmingCharacters(in: .whitespaces)) })
            else { throw S3XMLError(reason: "a Contents entry lacks a valid Key, Size or LastModified", offset: 0) }
            if urlEncoded {
                guard let decoded = formDecoded(key) else { throw S3XMLError(reason: "a url-encoded Key is malformed", offset: 0) }
                key = decoded
            }
            objects.append(
                ObjectInfo(
                    key: key,
                    size: size,
                    etag: quotedETag(contents.text(of: "ETag") ?? ""),
                    lastModified: modified,
                    contentType: nil,
                    serverSideEncryption: nil
                )
            )
        }
        let truncated = root.text(of: "IsTruncated")?.lowercased() == "true"
        let token = truncated ? root.text(of: "NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 } : nil
        guard !truncated || token != nil else { throw S3XMLError(reason: "a truncated listing has no NextContinuationToken", offset: 0) }
        return ObjectPage(objects: objects, nextContinuationToken: token)
    }

    /// The `UploadId` of an `InitiateMultipartUploadResult`.
    static func uploadID(_ bytes: [UInt8]) throws(S3XMLError) -> String {
        let root = try S3XMLReader.parse(bytes)
        guard root.name == "InitiateMultipartUploadResult", let uploadID = root.text(of: "UploadId"), !uploadID.isEmpty else {
            throw S3XMLError(reason: "expected InitiateMultipartUploadResult with an UploadId", offset: 0)
        }
        return uploadID
    }

    /// The quoted `ETag` of a `CompleteMultipartUploadResult` or `CopyObjectResult` (`"<md5 of part md5s>-<parts>"`).
    static func resultETag(_ bytes: [UInt8], rootName: String) throws(S3XMLError) -> String {
        let root = try S3XMLReader.parse(bytes)
        guard root.name == rootName, let etag = root.text(of: "ETag"), !etag.isEmpty else {
            throw S3XMLError(reason: "expected \(rootName) with an ETag", offset: 0)
        }
        return quotedETag(etag)
    }

    /// One uploaded part, as CompleteMultipartUpload lists it.
    struct CompletedPart: Sendable, Equatable {
        /// 1 … 10,000, ascending.
        var number: Int
        /// The part's ETag exactly as UploadPart returned it (quoted).
        var etag: String
    }

    /// The `CompleteMultipartUpload` request body: every part in ascending order with its ETag.
    static func completeMultipartUploadBody(_ parts: [CompletedPart]) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#
        for part in parts {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(escaped(part.etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        return xml
    }

    /// One incomplete multipart upload (ListMultipartUploads).
    struct PendingUpload: Sendable, Equatable {
        /// The object key the upload was started for.
        var key: String
        /// The upload id.
        var uploadID: String
    }

    /// The uploads of a `ListMultipartUploadsResult` page, and whether more pages follow.
    static func pendingUploads(_ bytes: [UInt8]) throws(S3XMLError) -> (uploads: [PendingUpload], isTruncated: Bool) {
        let root = try S3XMLReader.parse(bytes)
        guard root.name == "ListMultipartUploadsResult" else { throw S3XMLError(reason: "expected ListMultipartUploadsResult", offset: 0) }
        var uploads: [PendingUpload] = []
        for upload in root.children("Upload") {
            guard let key = upload.text(of: "Key"), let uploadID = upload.text(of: "UploadId") else {
                throw S3XMLError(reason: "an Upload entry lacks Key or UploadId", offset: 0)
            }
            uploads.append(PendingUpload(key: key, uploadID: uploadID))
        }
        return (uploads, root.text(of: "IsTruncated")?.lowercased() == "true")
    }

    /// The parts of a `ListPartsResult` (moto names it `ListPartsResponse`), ascending.
    static func uploadedParts(_ bytes: [UInt8]) throws(S3XMLError) -> [UploadedPart] {
        let root = try S3XMLReader.parse(bytes)
        guard root.name == "ListPartsResult" || root.name == "ListPartsResponse" else {
            throw S3XMLError(reason: "expected ListPartsResult", offset: 0)
        }
        var parts: [UploadedPart] = []
        for part in root.children("Part") {
            guard let number = part.text(of: "PartNumber").flatMap(Int.init), let etag = part.text(of: "ETag"),
                let size = part.text(of: "Size").flatMap(Int64.init)
            else { throw S3XMLError(reason: "a Part entry lacks PartNumber, ETag or Size", offset: 0) }
            parts.append(UploadedPart(number: number, etag: quotedETag(etag), size: size))
        }
        return parts.sorted { $0.number < $1.number }
    }

    /// An ETag in the quoted form HTTP uses (RFC 9110 §8.8.3); S3 sends it quoted, some servers do not.
    static func quotedETag(_ etag: String) -> String {
        let trimmed = etag.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("\"") || trimmed.hasPrefix("W/\"") { return trimmed }
        return "\"\(trimmed)\""
    }

    /// Escapes `&`, `<` and `>` for character data.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Decodes `encoding-type=url` values as the AWS SDKs do (botocore's `unquote_plus`): `%XX` escapes, and `+`
    /// for a space. Nil on a malformed escape or invalid UTF-8.
    static func formDecoded(_ text: String) -> String? {
        var output: [UInt8] = []
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            switch byte {
            case UInt8(ascii: "+"):
                output.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = bytes.next().flatMap(HexDigit.value), let low = bytes.next().flatMap(HexDigit.value) else { return nil }
                output.append(high << 4 | low)
            default:
                output.append(byte)
            }
        }
        return String(validating: output, as: UTF8.self)
    }
}
