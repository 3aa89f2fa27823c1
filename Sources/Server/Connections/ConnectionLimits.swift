/// How long a client may take over each stage of a request, and how many connections may be open at once.
///
/// A server that waits for slow clients without bound can be held by a few thousand connections that never finish
/// their headers (slowloris) or trickle a body a byte at a time. Each limit closes one kind of stalled connection;
/// the defaults leave ample room for a phone uploading over a poor mobile link.
package struct ConnectionLimits: Sendable, Equatable {
    /// `MEDVAULT_HEADER_TIMEOUT`: from the first byte of a request to the end of its headers. Browsers send headers
    /// in one packet; only a client holding the connection takes longer.
    package var headerTimeout: Duration
    /// `MEDVAULT_IDLE_TIMEOUT`: how long a connection may stay open with nothing happening: before its first
    /// request, and from the end of a response to the next request's first byte (keep-alive).
    package var idleTimeout: Duration
    /// `MEDVAULT_BODY_PROGRESS_TIMEOUT`: while medvault waits for a request body, each ``bodyProgressBytes`` of it
    /// must arrive within this time. Time in which medvault is not reading (storage is busy with what it sent)
    /// does not count: only the client's slowness does.
    package var bodyProgressTimeout: Duration
    /// How much of a body must arrive within each ``bodyProgressTimeout``: at the defaults, 16 KiB a minute, which
    /// a phone on GPRS exceeds many times over, while a client dribbling bytes to hold the connection does not.
    package var bodyProgressBytes: Int
    /// `MEDVAULT_MAX_CONNECTIONS`: open connections at most; one more is answered 503 and closed at once.
    package var maxConnections: Int

    /// Limits with medvault's defaults: headers within 30 s, 60 s idle, 16 KiB of body per 60 s, 1,000 connections.
    package init(
        headerTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60),
        bodyProgressTimeout: Duration = .seconds(60),
        bodyProgressBytes: Int = 16 * 1024,
        maxConnections: Int = 1000
    ) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.bodyProgressTimeout = bodyProgressTimeout
        self.bodyProgressBytes = bodyProgressBytes
        self.maxConnections = maxConnections
    }
}
