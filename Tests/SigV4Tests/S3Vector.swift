import Foundation
import Testing

@testable import SigV4

/// One vector of `s3-vectors.json` (botocore 1.43.11 outputs at fixed timestamps).
struct S3Vector: Decodable, Sendable, CustomTestStringConvertible {
    struct Inputs: Decodable, Sendable {
        let method: String
        let addressingStyle: String
        let url: String
        let scheme: String
        let host: String
        let path: String
        let bucket: String
        let key: String?
        let query: [[String]]
        let headers: [[String]]
        let payloadHash: String
        let region: String
        let service: String
        let accessKey: String
        let secretKey: String
        let sessionToken: String?
        let timestamp: String
        let expires: Int?
    }

    struct Outputs: Decodable, Sendable {
        let canonicalRequest: String
        let stringToSign: String
        let signature: String
        let signedHeaders: String
        let presignedUrl: String?
        let authorization: String?
        let requestHeadersToSend: [[String]]
    }

    let id: String
    let type: String
    let inputs: Inputs
    let outputs: Outputs

    var testDescription: String { self.id }

    var credentials: Credentials {
        Credentials(accessKeyID: self.inputs.accessKey, secretAccessKey: self.inputs.secretKey, sessionToken: self.inputs.sessionToken)
    }

    var style: S3Addressing.Style { self.inputs.addressingStyle == "virtual" ? .virtualHosted : .path }

    /// The endpoint the vector was generated against: its host, minus the bucket label when virtual-hosted.
    var endpoint: String {
        let host = self.style == .virtualHosted ? String(self.inputs.host.dropFirst(self.inputs.bucket.count + 1)) : self.inputs.host
        return "\(self.inputs.scheme)://\(host)"
    }

    /// The object key; a few header vectors leave `key` null but address an object, so it comes from the path.
    var key: String? {
        if let key = self.inputs.key { return key }
        let decoded = String(decoding: URIEncoding.percentDecoded(self.inputs.path.utf8) ?? [], as: UTF8.self)
        let prefix = self.style == .path ? "/\(self.inputs.bucket)" : ""
        let key = decoded.dropFirst(prefix.count).dropFirst()
        return key.isEmpty ? nil : String(key)
    }

    var query: [(name: String, value: String)] { self.inputs.query.map { ($0[0], $0[1]) } }
    var headers: [(name: String, value: String)] { self.inputs.headers.map { ($0[0], $0[1]) } }
    var headersToSend: [(name: String, value: String)] { self.outputs.requestHeadersToSend.map { ($0[0], $0[1]) } }

    var date: Date {
        get throws { try AmzDate(parsing: self.inputs.timestamp).date }
    }

    private struct File: Decodable {
        let count: Int
        let vectors: [S3Vector]
    }

    /// Every vector; empty (and `S3VectorTests.fileIsComplete` fails) when the file is missing.
    static let all: [S3Vector] = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let text = try? TestData.text("s3-vectors.json"), let file = try? decoder.decode(File.self, from: Data(text.utf8)) else {
            return []
        }
        return file.vectors
    }()

    static let presign = all.filter { $0.type == "presign" }
    static let header = all.filter { $0.type == "header" }
}
