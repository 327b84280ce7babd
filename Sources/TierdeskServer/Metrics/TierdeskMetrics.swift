import CoreMetrics
import Prometheus
import Synchronization
import TierdeskCore
import TierdeskStore

/// The process's metrics, kept in one Prometheus registry and served by `GET /metrics` in Prometheus' text
/// format. Requests and mail intake are recorded as they happen; queue depths and the database's write
/// activity are read when the metrics are scraped.
public final class TierdeskMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// The registry seen through swift-metrics, for libraries that record with it (see ``bootstrapSystem()``).
    public let factory: PrometheusMetricsFactory
    /// The write totals already added to the counters, so each scrape adds only what is new.
    private let reported = Mutex(WriteActivity())

    /// Upper bounds of the request-duration buckets: 1 ms to 10 s.
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2_500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .microseconds(2_500_000), .seconds(5), .seconds(10),
    ]

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        self.factory = factory
        inFlight = registry.makeGauge(descriptor: Self.requestsInFlight)
    }

    /// Makes this registry the one every swift-metrics user in the process records into. Call it once per
    /// process (`tierdesk serve` does); tests, which build many applications in one process, do not.
    public func bootstrapSystem() {
        MetricsSystem.bootstrap(factory)
    }

    // MARK: Requests

    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "tierdesk",
            metricName: "http_requests",
            unitName: "total",
            helpText: "HTTP requests answered, by method, route (the route's pattern) and status."
        )
    }
    static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "tierdesk",
            metricName: "http_request_duration",
            unitName: "seconds",
            helpText: "Time from a request's arrival to its response, by method and route."
        )
    }
    static var requestsInFlight: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "tierdesk",
            metricName: "http_requests_in_flight",
            unitName: "",
            helpText: "Requests being answered now."
        )
    }

    /// Requests being answered now.
    let inFlight: Prometheus.Gauge
    /// The same number, for background work that gives way to requests.
    let answering = Atomic(0)

    /// Requests being answered now.
    public var requestsInFlight: Int { answering.load(ordering: .relaxed) }

    /// The series of one method, route and status, looked up in the registry once.
    private struct RouteKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }
    private let routeSeries = Mutex<[RouteKey: (Prometheus.Counter, DurationHistogram)]>([:])

    /// Records one answered request.
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let key = RouteKey(method: method, route: route, status: status)
        let (counter, histogram) = routeSeries.withLock { series in
            if let known = series[key] { return known }
            let made = (
                registry.makeCounter(
                    descriptor: Self.requests,
                    labels: [("method", method), ("route", route), ("status", String(status))]
                ),
                registry.makeDurationHistogram(
                    descriptor: Self.requestDuration,
                    labels: [("method", method), ("route", route)],
                    buckets: Self.durationBuckets
                )
            )
            series[key] = made
            return made
        }
        counter.increment()
        histogram.record(duration)
    }

    // MARK: Mail intake

    static var mailIntake: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "tierdesk",
            metricName: "mail_intake",
            unitName: "total",
            helpText:
                "Inbound messages by outcome: created, replied, noted, duplicate, ignored, held, refused (empty, too large or unreadable) or failed (not stored)."
        )
    }

    /// Records what became of one inbound message.
    func recordMail(outcome: String) {
        registry.makeCounter(descriptor: Self.mailIntake, labels: [("outcome", outcome)]).increment()
    }

    // MARK: Read at scrape time

    /// The metrics text, after setting the gauges that are read from the database now.
    func exposition(backlog: BacklogRepository.Backlog, writes: WriteActivity, poolConnections: Int) -> [UInt8] {
        for channel in OutboxMessage.Channel.allCases {
            for status in BacklogRepository.undeliveredStatuses {
                gauge(
                    "outbox_messages",
                    "Outbox messages not yet delivered, by channel and status.",
                    [
                        ("channel", channel.rawValue), ("status", status.rawValue),
                    ]
                )
                .set(Double(backlog.outbox[channel]?[status] ?? 0))
            }
        }
        gauge("sla_alarms_due", "Tickets whose next SLA alarm is due and not yet fired.")
            .set(Double(backlog.slaAlarmsDue))
        for status in [OnCallPage.Status.triggered, .acknowledged] {
            gauge("pages_open", "Pages in flight (not yet resolved), by status.", [("status", status.rawValue)])
                .set(Double(backlog.pages[status] ?? 0))
        }
        gauge("database_pool_connections", "The most connections this process opens to the database.")
            .set(Double(poolConnections))
        gauge("database_writes_waiting", "Write transactions waiting for the writer's turn.")
            .set(Double(writes.waiting))
        gauge("ticket_creations_waiting", "New tickets waiting for the next group commit.")
            .set(Double(writes.creationsWaiting))
        let new = reported.withLock { last in
            // A scrape that read its totals before another scrape's adds nothing.
            guard writes.transactions >= last.transactions else {
                return (committed: 0, failed: 0, held: 0.0, waited: 0.0)
            }
            defer { last = writes }
            return (
                committed: writes.transactions - writes.failures - (last.transactions - last.failures),
                failed: writes.failures - last.failures,
                held: writes.secondsHeld - last.secondsHeld,
                waited: writes.secondsWaited - last.secondsWaited
            )
        }
        counter("database_write_transactions", "Write transactions, by outcome.", [("outcome", "committed")])
            .increment(by: Int64(new.committed))
        counter("database_write_transactions", "Write transactions, by outcome.", [("outcome", "failed")])
            .increment(by: Int64(new.failed))
        counter("database_write_seconds", "Seconds spent inside write transactions.", unit: "total")
            .increment(by: new.held)
        counter(
            "database_write_wait_seconds",
            "Seconds write transactions waited for the writer's turn.",
            unit: "total"
        )
        .increment(by: new.waited)
        return registry.emitToBuffer()
    }

    private func gauge(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Prometheus.Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "tierdesk", metricName: name, unitName: "", helpText: help),
            labels: labels
        )
    }

    private func counter(_ name: String, _ help: String, _ labels: [(String, String)] = [], unit: String = "total")
        -> Prometheus.Counter
    {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "tierdesk", metricName: name, unitName: unit, helpText: help),
            labels: labels
        )
    }
}
