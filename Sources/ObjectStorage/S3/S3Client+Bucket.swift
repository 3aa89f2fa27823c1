extension S3Client {
    /// The same client (transport, signer, addressing, deadlines) on another bucket of the same endpoint and
    /// credentials.
    func onBucket(_ bucket: String) -> S3Client {
        S3Client(
            transport: self.transport,
            signer: self.signer,
            addressing: self.addressing,
            bucket: bucket,
            timeouts: self.timeouts,
            retryPolicy: self.retryPolicy,
            environment: self.environment
        )
    }
}
