import Documents

extension S3ObjectStore {
    /// The bucket of the object at `key`: its category's routed bucket (``S3StoreConfiguration/routes``), else the
    /// documents bucket.
    package func bucket(forKey key: String) -> String {
        self.configuration.routes.bucket(forKey: key) ?? self.configuration.bucket
    }

    /// The client on `key`'s bucket.
    func client(forKey key: String) -> S3Client {
        let bucket = self.bucket(forKey: key)
        return bucket == self.client.bucket ? self.client : self.client.onBucket(bucket)
    }

    /// The documents bucket first, then every routed bucket, each once.
    package var buckets: [String] {
        [self.configuration.bucket] + self.configuration.routes.routedBuckets.filter { $0 != self.configuration.bucket }
    }

    /// A store on `bucket` alone (same endpoint, credentials and client), without routes: what reconcile lists and the
    /// self-check writes to, once per bucket.
    package func restricted(to bucket: String) throws(StorageError) -> S3ObjectStore {
        var configuration = self.configuration
        configuration.bucket = bucket
        configuration.routes = .none
        return try S3ObjectStore(configuration: configuration, transport: self.client.transport, environment: self.client.environment)
    }
}
