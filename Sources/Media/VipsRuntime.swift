import CVips

/// libvips started once for the process: `VIPS_INIT` must run before any other call and only once, and libvips is
/// thread-safe afterwards. A Swift global is initialised lazily and exactly once, whichever thread reads it first.
enum VipsRuntime {
    private static let started: Bool = medvault_vips_start() == 0

    /// Starts libvips if no one has yet; throws when it could not start (it never will in this process, then).
    static func start() throws(PreviewError) {
        guard started else { throw .startFailed }
    }
}
