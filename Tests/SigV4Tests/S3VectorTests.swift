import Foundation
import Testing

@testable import SigV4

/// Every vector of `s3-vectors.json`: addressing, canonical request, string to sign, signature, signed headers,
/// and the URL or `Authorization` header; then the verifier accepts every pre-signed URL botocore produced.
@Suite("S3 vectors (botocore)")
struct S3VectorTests {
    let cache = SigningKeyCache()

    @Test("the file holds 62 pre-signed and 41 header-signed vectors")
    func fileIsComplete() {
        #expect(S3Vector.all.count == 103)
        #expect(S3Vector.presign.count == 62)
        #expect(S3Vector.header.count == 41)
    }

    @Test("S3Addressing gives the vector's host and path", arguments: S3Vector.all)
    func addressing(vector: S3Vector) throws {
        let location = try S3Addressing(endpoint: vector.endpoint, style: vector.style).location(bucket: vector.inputs.bucket, key: vector.key)
        #expect(location.scheme == vector.inputs.scheme)
        #expect(location.host == vector.inputs.host)
        #expect(CanonicalURI.string(path: location.path, rule: .s3) == vector.inputs.path)
    }

    @Test("pre-signing", arguments: S3Vector.presign)
    func presign(vector: S3Vector) throws {
        let location = try S3Addressing(endpoint: vector.endpoint, style: vector.style).location(bucket: vector.inputs.bucket, key: vector.key)
        let signer = try SigV4Signer(credentials: vector.credentials, region: vector.inputs.region, service: vector.inputs.service, cache: self.cache)
        let presigned = try signer.presignedRequest(
            method: vector.inputs.method,
            scheme: location.scheme,
            host: location.host,
            path: location.path,
            query: vector.query,
            headers: vector.headers,
            payloadHash: try PayloadHash.sha256OrUnsigned(vector.inputs.payloadHash),
            expires: try #require(vector.inputs.expires),
            date: try vector.date
        )
        #expect(String(decoding: presigned.canonicalRequest, as: UTF8.self) == vector.outputs.canonicalRequest)
        #expect(String(decoding: presigned.stringToSign, as: UTF8.self) == vector.outputs.stringToSign)
        #expect(presigned.signature == vector.outputs.signature)
        #expect(presigned.signedHeaders == vector.outputs.signedHeaders)
        let expectedURL = try #require(vector.outputs.presignedUrl)
        #expect(splitURL(presigned.url).base == splitURL(expectedURL).base)
        #expect(querySet(splitURL(presigned.url).query) == querySet(splitURL(expectedURL).query))
        // The public entry point returns the same URL.
        let url = try signer.presign(
            method: vector.inputs.method,
            location: location,
            query: vector.query,
            headers: vector.headers,
            expires: try #require(vector.inputs.expires),
            date: try vector.date
        )
        #expect(url == presigned.url)
    }

    @Test("header signing", arguments: S3Vector.header)
    func headerSigning(vector: S3Vector) throws {
        let location = try S3Addressing(endpoint: vector.endpoint, style: vector.style).location(bucket: vector.inputs.bucket, key: vector.key)
        let signer = try SigV4Signer(credentials: vector.credentials, region: vector.inputs.region, service: vector.inputs.service, cache: self.cache)
        let signed = try signer.signHeaders(
            method: vector.inputs.method,
            location: location,
            query: vector.query,
            headers: vector.headers,
            payloadHash: try PayloadHash.sha256OrUnsigned(vector.inputs.payloadHash),
            date: try vector.date
        )
        #expect(signed.canonicalRequest == vector.outputs.canonicalRequest)
        #expect(signed.stringToSign == vector.outputs.stringToSign)
        #expect(signed.signature == vector.outputs.signature)
        #expect(signed.signedHeaders == vector.outputs.signedHeaders)
        #expect(signed.authorization == vector.outputs.authorization)
        // Every header we add is one botocore sends, with the same value.
        let sent = Dictionary(vector.headersToSend.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        for header in signed.headers {
            #expect(sent[header.name.lowercased()] == header.value, "\(header.name)")
        }
        let callerHeaders = Set(vector.headers.map { $0.name.lowercased() } + ["host"])
        #expect(signed.headers.count == sent.keys.filter { !callerHeaders.contains($0) }.count)
        #expect(splitURL(signed.url).base == splitURL(vector.inputs.url).base)
        #expect(querySet(splitURL(signed.url).query) == querySet(splitURL(vector.inputs.url).query))
    }

    @Test("the verifier accepts botocore's pre-signed URL", arguments: S3Vector.presign)
    func verifierAcceptsBotocoreURL(vector: S3Vector) throws {
        let credentials = vector.credentials
        let verifier = PresignedURLVerifier(region: vector.inputs.region, cache: self.cache) { accessKeyID in
            accessKeyID == credentials.accessKeyID ? credentials.secretAccessKey : nil
        }
        let url = try #require(vector.outputs.presignedUrl)
        let (base, query) = splitURL(url)
        let path = base.dropFirst("\(vector.inputs.scheme)://\(vector.inputs.host)".count)
        let verification = try verifier.verify(
            method: vector.inputs.method,
            rawPath: String(path),
            rawQuery: String(query),
            headers: [("Host", vector.inputs.host)] + vector.headersToSend,
            now: try vector.date
        )
        #expect(verification.accessKeyID == credentials.accessKeyID)
        #expect(verification.signedHeaders.joined(separator: ";") == vector.outputs.signedHeaders)
    }
}

extension PayloadHash {
    /// The vector's `payload_hash` field.
    static func sha256OrUnsigned(_ text: String) throws -> PayloadHash {
        text == PayloadHash.unsigned.value ? .unsigned : try .sha256(hex: text)
    }
}
