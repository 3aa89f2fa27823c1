import Crypto
import Foundation
import SigV4

/// The request every pre-signing benchmark signs (the Python peer uses the same values): a GET of a lab report on
/// a path-style S3 endpoint, pinning the response headers exactly as `download?presigned=true` does.
enum Workload {
    static let accessKeyID = "AKIAIOSFODNN7EXAMPLE"
    static let secretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let region = "us-east-1"
    static let endpoint = "http://127.0.0.1:9000"
    static let host = "127.0.0.1:9000"
    static let bucket = "medvault"
    static let key = "patients/P-1001/lab-results/3f2b8c1e-7a4d-4e9b-9c0a-5d6e7f8a9b0c-report.pdf"
    static let expires = 3600
    static let responseContentType = "application/pdf"
    static let responseContentDisposition = "inline; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
    /// The fixed instant of the cross-check URL: 2025-01-01T00:00:00Z.
    static let sampleDate = Date(timeIntervalSince1970: 1_735_689_600)
    static let sampleTimestamp = "20250101T000000Z"
    static let sampleDateStamp = "20250101"

    /// The extra query parameters, as medvault's download passes them.
    static let query: [(name: String, value: String)] = [
        (name: "response-content-disposition", value: responseContentDisposition),
        (name: "response-content-type", value: responseContentType),
    ]

    /// AWS `UriEncode` (unreserved kept, everything else `%XX`), written independently of the SigV4 module.
    static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var output = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || "-_.~".unicodeScalars.contains(scalar) || (keepSlash && byte == 0x2F)
            {
                output.unicodeScalars.append(scalar)
            } else {
                output += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
            }
        }
        return output
    }

    /// The canonical request medvault signs at `timestamp`, built by hand from the SigV4 documentation.
    static func canonicalRequest(timestamp: String, dateStamp: String) -> [UInt8] {
        let scope = "\(dateStamp)/\(region)/s3/aws4_request"
        let query = [
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=" + uriEncode("\(accessKeyID)/\(scope)", keepSlash: false),
            "X-Amz-Date=\(timestamp)",
            "X-Amz-Expires=\(expires)",
            "X-Amz-SignedHeaders=host",
            "response-content-disposition=" + uriEncode(responseContentDisposition, keepSlash: false),
            "response-content-type=" + uriEncode(responseContentType, keepSlash: false),
        ].joined(separator: "&")
        let lines = ["GET", uriEncode("/\(bucket)/\(key)", keepSlash: true), query, "host:\(host)", "", "host", "UNSIGNED-PAYLOAD"]
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// The string to sign for `canonicalRequest` at `timestamp`.
    static func stringToSign(canonicalRequest: [UInt8], timestamp: String, dateStamp: String) -> [UInt8] {
        let hash = SHA256.hash(data: canonicalRequest).map { String(format: "%02x", $0) }.joined()
        return Array("AWS4-HMAC-SHA256\n\(timestamp)\n\(dateStamp)/\(region)/s3/aws4_request\n\(hash)".utf8)
    }

    /// Stage 3 of SigV4, by hand: the signing key for `dateStamp`.
    static func signingKey(dateStamp: String) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key))
        }
        let kDate = hmac(SymmetricKey(data: Array("AWS4\(secretAccessKey)".utf8)), dateStamp)
        return hmac(hmac(hmac(kDate, region), "s3"), "aws4_request")
    }
}
