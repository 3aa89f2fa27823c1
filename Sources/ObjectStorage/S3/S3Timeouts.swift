/// How long S3 calls may take. Every call has a deadline (STYLE.md): each attempt is bounded by ``request`` or
/// ``transfer``, and one logical call, retries and back-off included, by ``total``.
package struct S3Timeouts: Sendable, Equatable {
    /// One attempt of a call without a large body (HEAD, GET up to the response head, DELETE, list, create,
    /// complete and abort of a multipart upload), covering connecting, sending and reading the answer.
    package var request: Duration
    /// One attempt of a call that sends or copies up to one part: PutObject, UploadPart, CopyObject.
    package var transfer: Duration
    /// One logical call including its retries; no retry starts after it.
    package var total: Duration

    /// 15 s per small call, 120 s per part, 300 s overall: generous for an 8 MiB part on a slow link, short
    /// enough that a dead endpoint answers `storage_unavailable` well before a browser gives up.
    package init(request: Duration = .seconds(15), transfer: Duration = .seconds(120), total: Duration = .seconds(300)) {
        self.request = request
        self.transfer = transfer
        self.total = total
    }

    /// Every limit must be positive.
    func validate() throws(StorageError) {
        guard self.request > .zero, self.transfer > .zero, self.total > .zero else {
            throw .failure("Invalid S3 configuration: timeouts must be positive.")
        }
    }
}
