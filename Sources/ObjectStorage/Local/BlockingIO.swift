import Dispatch

/// Runs blocking file-system work (open, pread, pwrite, fsync, rename) off Swift's cooperative pool.
///
/// The cooperative pool has one thread per core (two on the target machine); an `fsync` of a 50 MB file
/// parked on one of them would stall every other request. Each call hops to a global dispatch queue and
/// resumes the task when the work is done; the hop costs microseconds against a 64 KiB chunk of I/O.
enum BlockingIO {
    /// Runs `body` on a dispatch thread and returns its result (or its error) to the awaiting task.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws(StorageError) -> T) async throws(StorageError) -> T {
        let result: Result<T, StorageError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: Result(catching: body))
            }
        }
        return try result.get()
    }
}
