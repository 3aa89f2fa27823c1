import Logging
import NIOCore

extension S3ObjectStore {
    /// CopyObject of the object onto itself with `x-amz-storage-class` (S3 accepts a copy onto itself when the class
    /// changes); see ``copyObject(from:to:storageClass:logger:)``.
    package func changeStorageClass(key: String, to storageClass: String, logger: Logger) async throws(StorageError) {
        try Self.checkKey(key)
        try await copyObject(from: key, to: key, storageClass: storageClass, logger: logger)
    }

    /// CopyObject from `from`'s bucket to `to`'s (the same bucket unless a direct upload staged in the documents bucket
    /// is accepted into a routed one, which S3 copies server-side as well), metadata kept with `x-amz-metadata-directive: COPY`, in `storageClass` when given
    /// (else the bucket's default class), with the SSE headers sent again and their echo checked, because a copy is a
    /// new object.
    func copyObject(from: String, to: String, storageClass: String?, logger: Logger) async throws(StorageError) {
        let copy = S3Operation(
            name: "CopyObject",
            method: "PUT",
            key: to,
            headers: [
                ("x-amz-copy-source", Self.copySource(bucket: self.bucket(forKey: from), key: from)),
                ("x-amz-metadata-directive", "COPY"),
            ] + (storageClass.map { [("x-amz-storage-class", $0)] } ?? []) + self.configuration.serverSideEncryptionHeaders,
            body: ByteBuffer(),
            isIdempotent: true,
            attemptTimeout: self.configuration.timeouts.transfer
        )
        let copied = try await self.client(forKey: to).performCollecting(
            copy,
            limit: S3Client.errorBodyLimit,
            checkEmbeddedError: true,
            logger: logger
        )
        try await self.client(forKey: to).confirmEncryption(
            of: copied.response,
            requested: self.configuration.serverSideEncryptionHeaders,
            key: to,
            operation: copy.name,
            logger: logger
        )
    }
}
