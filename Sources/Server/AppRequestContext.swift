import Hummingbird
import Logging
import NIOCore

/// The request context of every medvault route: Hummingbird's core storage plus who is calling from where.
///
/// The client address is captured once from the channel, because the audit trail records it for every call.
package struct AppRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The peer's IP address, for the audit trail.
    package let clientAddress: String?

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Only small JSON bodies are collected; uploads stream and are bounded by the upload policy instead.
    package var maxUploadSize: Int { 64 * 1024 }

    /// The id Hummingbird gave this request; it is returned as `X-Request-Id` and in every error body.
    package var requestID: String {
        logger[metadataKey: "hb.request.id"]?.description ?? "unknown"
    }
}
