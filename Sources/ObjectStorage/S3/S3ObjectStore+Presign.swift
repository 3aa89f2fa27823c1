import Foundation
import SigV4

extension S3ObjectStore {
    /// A SigV4 query-signed GET URL for `key` in the bucket ("Authenticating requests: using query parameters", S3
    /// docs), for `download?presigned=true`: the browser fetches the object straight from S3.
    ///
    /// `response-content-type` and `response-content-disposition` are signed into the URL, so S3 serves the bytes
    /// with the stored type and file name and the URL cannot be edited to serve them as something else (an empty
    /// value leaves the parameter out). Signed with the store's credentials and signing-key cache; the payload is
    /// `UNSIGNED-PAYLOAD`, as for every pre-signed S3 URL. The URL points at ``S3StoreConfiguration/publicEndpoint``
    /// when one is set: the `Host` is signed, so a URL signed for the internal name could not be rewritten later.
    ///
    /// - Parameters:
    ///   - expires: seconds the URL stays valid, 1 … 604,800 (SigV4's limit).
    ///   - date: the signing time; the server passes its clock.
    /// - Throws: `storage_failure` for an invalid key or expiry.
    package func presignedGetURL(
        key: String,
        expires: Int,
        responseContentType: String,
        responseContentDisposition: String,
        date: Date
    ) throws(StorageError) -> String {
        try Self.checkKey(key)
        guard SigV4Signer.expiryRange.contains(expires) else {
            throw .failure("A pre-signed URL must expire within 1 to 604800 seconds.")
        }
        var query: [(name: String, value: String)] = []
        if !responseContentDisposition.isEmpty { query.append(("response-content-disposition", responseContentDisposition)) }
        if !responseContentType.isEmpty { query.append(("response-content-type", responseContentType)) }
        do {
            let location = try self.publicAddressing.location(bucket: self.bucket(forKey: key), key: key)
            return try self.client.signer.presign(method: "GET", location: location, query: query, expires: expires, date: date)
        } catch {
            throw .failure("The download URL could not be signed.", underlying: error)
        }
    }

    /// The SSE headers of every write: a pre-signed PutObject signs them, so the object cannot land unencrypted.
    package var putObjectHeaders: [(name: String, value: String)] { self.configuration.serverSideEncryptionHeaders }

    /// A SigV4 query-signed PutObject or UploadPart URL for `key` in the bucket, for direct uploads; the payload is
    /// `UNSIGNED-PAYLOAD` and `headers` (`content-length`, `x-amz-checksum-sha256`, SSE) are signed, so S3 refuses a
    /// body of another length or content. Points at ``S3StoreConfiguration/publicEndpoint`` when one is set.
    /// - Throws: `storage_failure` for an invalid key, expiry or header.
    package func presignedPutURL(
        key: String,
        query: [(name: String, value: String)],
        headers: [(name: String, value: String)],
        expires: Int,
        date: Date
    ) throws(StorageError) -> String {
        try Self.checkKey(key)
        do {
            let location = try self.publicAddressing.location(bucket: self.bucket(forKey: key), key: key)
            return try self.client.signer.presign(method: "PUT", location: location, query: query, headers: headers, expires: expires, date: date)
        } catch {
            throw .failure("The upload URL could not be signed.", underlying: error)
        }
    }
}
