import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

/// `GET /metrics`: Prometheus text exposition of the process's swift-metrics, fed by Hummingbird's
/// `MetricsMiddleware`. Requests are labelled by route template (`/api/v2/aws/s3/download`), never by
/// the raw URI, so no key or patient id ends up in a metric.
struct MetricsController: Sendable {
    let registry: PrometheusCollectorRegistry

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}
