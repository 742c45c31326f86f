"""Prometheus metrics of one service: bus (FastStream middleware), HTTP and business metrics."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class ServiceMetrics:
    """All metrics of one service process, in a registry of its own."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.http_requests = Counter(
            "innoportal_http_requests_total",
            "HTTP requests by method, route and status.",
            ["method", "route", "status"],
            registry=r,
        )
        self.http_latency = Histogram(
            "innoportal_http_request_duration_seconds",
            "HTTP request latency by method and route.",
            ["method", "route"],
            registry=r,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.records_created = Counter(
            "innoportal_records_created_total",
            "Records created, by kind.",
            ["kind"],
            registry=r,
        )
        self.events_published = Counter(
            "innoportal_outbox_published_total",
            "Events published from the outbox to JetStream.",
            registry=r,
        )
        self.outbox_backlog = Gauge(
            "innoportal_outbox_backlog",
            "Events stored but not yet published.",
            registry=r,
        )
        self.outbox_oldest_age = Gauge(
            "innoportal_outbox_oldest_unpublished_age_seconds",
            "Age of the oldest unpublished event (0 when none).",
            registry=r,
        )
        self.consumed = Counter(
            "innoportal_consumer_messages_total",
            "Messages handled by durable consumers, by outcome (ok, duplicate, retried, parked).",
            ["consumer", "outcome"],
            registry=r,
        )
        self.bus_connected = Gauge(
            "innoportal_bus_connected", "1 while connected to NATS.", registry=r
        )
        self.info = Gauge(
            "innoportal_service_info", "Constant 1, labelled with the service.", ["service"],
            registry=r,
        )
        self.info.labels(service=service).set(1)
