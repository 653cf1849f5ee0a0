import CoreMetrics
import Foundation
import Prometheus

/// The server's Prometheus metrics, through swift-metrics' API on a registry of its own (so
/// that servers in one process, as in the tests, do not share counts).
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// One request: counted by route, method and status; its latency in a histogram by route.
    func request(route: String, method: String, status: Int, nanoseconds: Int64) {
        Counter(label: "wfc_http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory).increment()
        let dimensions = [("route", route)]
        CoreMetrics.Timer(label: "wfc_http_request_duration_seconds", dimensions: dimensions,
                          handler: factory.makeTimer(label: "wfc_http_request_duration_seconds", dimensions: dimensions), factory: factory)
            .recordNanoseconds(nanoseconds)
    }

    /// A refused request or event, by WFC code.
    func refusal(code: String) {
        Counter(label: "wfc_refusals_total", dimensions: [("code", code)], factory: factory).increment()
    }

    /// A case whose due timers the scheduler fired (one recorded tick).
    func timerFired() {
        Counter(label: "wfc_timers_fired_total", factory: factory).increment()
    }

    /// A scheduler pass or tick that failed (it is tried again on the next pass).
    func schedulerError() {
        Counter(label: "wfc_scheduler_errors_total", factory: factory).increment()
    }

    /// One webhook delivery attempt, by result.
    func webhookDelivery(ok: Bool) {
        Counter(label: "wfc_webhook_deliveries_total", dimensions: [("result", ok ? "delivered" : "failed")], factory: factory).increment()
    }

    /// The Prometheus text exposition.
    public func render() -> String { registry.emitToString() }
}
