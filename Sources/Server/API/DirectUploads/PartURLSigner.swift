import Documents
import Foundation
import ObjectStorage
import Persistence

/// Signs the URLs of a direct upload session's parts: a plain PutObject of the staging key for one part, UploadPart
/// (`partNumber`, `uploadId`) for a multipart upload.
///
/// Every URL signs its part's exact `Content-Length`; a one-part URL also signs the storage's SSE headers and, when
/// the client declared a SHA-256, `x-amz-checksum-sha256`, so storage itself refuses a body of another length or
/// content. A URL never outlives its session: it expires with it when that comes first.
struct PartURLSigner: Sendable {
    let issuer: any PresignedURLIssuer
    /// `MEDVAULT_UPLOAD_URL_TTL`.
    let lifetime: Int

    /// URLs for `partNumbers` of `session`, signed at `date`; numbers outside the session's plan are skipped.
    func urls(for session: UploadSessionRecord, partNumbers: [Int], date: Date) throws -> [PartURL] {
        let plan = UploadPartPlan(size: session.size, partSize: session.partSize)
        let remaining = Int(session.expiresAt.timeIntervalSince(date).rounded(.down))
        let expires = max(1, min(lifetime, remaining))
        return try partNumbers.compactMap { number in
            guard let length = plan.length(ofPart: number) else { return nil }
            var headers: [(name: String, value: String)] = []
            var query: [(name: String, value: String)] = []
            if let uploadID = session.multipartUploadID {
                query = [("partNumber", String(number)), ("uploadId", uploadID)]
            } else {
                headers = issuer.putObjectHeaders
                if let checksum = session.sha256.flatMap(Self.base64Digest) { headers.append(("x-amz-checksum-sha256", checksum)) }
            }
            let url = try issuer.presignedPutURL(
                key: session.stagingKey,
                query: query,
                headers: headers + [("content-length", String(length))],
                expires: expires,
                date: date
            )
            return PartURL(partNumber: number, url: url, headers: Dictionary(headers, uniquingKeysWith: { first, _ in first }))
        }
    }

    /// `x-amz-checksum-sha256` carries the digest in base64; sessions keep it in lowercase hex.
    static func base64Digest(_ hex: String) -> String? {
        let values = hex.utf8.compactMap(HexDigit.value)
        guard values.count == 64, hex.utf8.count == 64 else { return nil }
        let bytes = stride(from: 0, to: 64, by: 2).map { values[$0] << 4 | values[$0 + 1] }
        return Data(bytes).base64EncodedString()
    }
}
