import Documents
import Logging
import Synchronization

extension S3ObjectStore {
    /// DeleteObject, or in a versioned bucket DeleteObject with `versionId` for each of the key's versions and delete
    /// markers (ListObjectVersions), so nothing of it can be brought back.
    /// With bucket routes, in the key's own bucket.
    package func erase(key: String, logger: Logger) async throws(StorageError) -> ErasedObjects {
        try Self.checkKey(key)
        if self.configuration.routes != .none {
            return try await self.restricted(to: self.bucket(forKey: key)).erase(key: key, logger: logger)
        }
        guard try await keepsVersions(logger: logger) else { return try await UnversionedErasure.erase(key: key, in: self, logger: logger) }
        return try await eraseVersions(prefix: key, onlyKey: key, logger: logger)
    }

    /// Every object under `prefix`, every version in a versioned bucket, and the incomplete multipart uploads there;
    /// with bucket routes in every bucket, since an entity's folder spans the categories routed elsewhere.
    package func erase(prefix: String, logger: Logger) async throws(StorageError) -> ErasedObjects {
        if self.configuration.routes != .none {
            var erased = ErasedObjects()
            for bucket in self.buckets {
                erased += try await self.restricted(to: bucket).erase(prefix: prefix, logger: logger)
            }
            return erased
        }
        for upload in try await self.pendingUploads(prefix: prefix, logger: logger) {
            try await S3ObjectWriter.abortMultipartUpload(upload.uploadID, key: upload.key, client: self.client, logger: logger)
        }
        guard try await keepsVersions(logger: logger) else { return try await UnversionedErasure.erase(prefix: prefix, in: self, logger: logger) }
        return try await eraseVersions(prefix: prefix, onlyKey: nil, logger: logger)
    }

    /// Whether the bucket keeps versions (GetBucketVersioning `Enabled` or `Suspended`), asked once per store.
    func keepsVersions(logger: Logger) async throws(StorageError) -> Bool {
        if let known = versioning.withLock({ $0 }) { return known }
        let operation = S3Operation(
            name: "GetBucketVersioning",
            method: "GET",
            key: nil,
            query: [("versioning", "")],
            isIdempotent: true,
            attemptTimeout: self.configuration.timeouts.request
        )
        let body = try await self.client.performCollecting(operation, limit: S3Client.errorBodyLimit, logger: logger).body
        let keeps: Bool
        do {
            keeps = try S3Documents.keepsVersions(body)
        } catch {
            throw self.client.finalError(
                .unexpected("The storage backend sent an unreadable versioning configuration.", underlying: error),
                operation: operation.name,
                logger: logger
            )
        }
        versioning.withLock { $0 = keeps }
        return keeps
    }

    /// Deletes every version and delete marker under `prefix` (of exactly `onlyKey` when given), a page at a time.
    private func eraseVersions(prefix: String, onlyKey: String?, logger: Logger) async throws(StorageError) -> ErasedObjects {
        var erased = ErasedObjects()
        var marker: (keyMarker: String, versionIDMarker: String?)?
        repeat {
            let page = try await versionPage(prefix: prefix, after: marker, logger: logger)
            for version in page.versions where onlyKey == nil || version.key == onlyKey {
                try await deleteVersion(version, logger: logger)
                erased.versions += 1
                if version.isLatest && !version.isDeleteMarker { erased.objects += 1 }
            }
            marker = page.next
        } while marker != nil
        logger.debug("erased S3 versions", metadata: ["versions": "\(erased.versions)"])
        return erased
    }

    /// One page of ListObjectVersions under `prefix`, after `marker`.
    private func versionPage(
        prefix: String,
        after marker: (keyMarker: String, versionIDMarker: String?)?,
        logger: Logger
    ) async throws(StorageError) -> S3Documents.VersionPage {
        var query: [(name: String, value: String)] = [("versions", ""), ("prefix", prefix)]
        if let marker {
            query.append(("key-marker", marker.keyMarker))
            if let versionID = marker.versionIDMarker { query.append(("version-id-marker", versionID)) }
        }
        let operation = S3Operation(
            name: "ListObjectVersions",
            method: "GET",
            key: nil,
            query: query,
            isIdempotent: true,
            attemptTimeout: self.configuration.timeouts.request
        )
        let body = try await self.client.performCollecting(operation, limit: Self.listingBodyLimit, logger: logger).body
        do {
            return try S3Documents.versionPage(body)
        } catch {
            throw self.client.finalError(
                .unexpected("The storage backend sent an unreadable version listing.", underlying: error),
                operation: operation.name,
                logger: logger
            )
        }
    }

    /// DeleteObject with `versionId`: removes that version (or delete marker) for good.
    private func deleteVersion(_ version: S3ObjectVersion, logger: Logger) async throws(StorageError) {
        let operation = S3Operation(
            name: "DeleteObject",
            method: "DELETE",
            key: version.key,
            query: [("versionId", version.versionID)],
            isIdempotent: true,
            attemptTimeout: self.configuration.timeouts.request
        )
        do throws(StorageError) {
            _ = try await self.client.performCollecting(operation, limit: S3Client.errorBodyLimit, logger: logger)
        } catch  where error.code == "not_found" {
            // Already gone.
        }
    }
}
