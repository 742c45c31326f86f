"""Prometheus metrics of one service: bus (FastStream middleware), HTTP and business metrics.

Every series whose label values are known at start (routes and status classes, record kinds,
consumers and outcomes, FastStream's handlers and destinations) is created at 0 then, so the
first event of a kind is an increase that rate() sees, not a new series already at 1.
"""

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from innoportal.parked_metrics import ParkedMetrics

STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx")


class ServiceMetrics:
    """All metrics of one service process, in a registry of its own."""

    def __init__(self, service: str, record_kinds: Iterable[str] = ()) -> None:
        self.service = service
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.http_requests = Counter(
            "innoportal_http_requests_total",
            "HTTP requests by method, route and status.",
            ["method", "route", "status"],
            registry=r,
        )
        self.http_responses = Counter(
            "innoportal_http_responses_total",
            "HTTP responses by method, route and status class (2xx..5xx), each from 0 at start.",
            ["method", "route", "status_class"],
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
            "Messages handled by durable consumers, by outcome (ok, retried, parked; a redelivery "
            "already applied counts as ok).",
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
        self.parked = ParkedMetrics(r)  # per consumer: parked now, replayed, purged
        for kind in record_kinds:
            self.records_created.labels(kind=kind)

    def prime_routes(self, routes: Iterable[tuple[str, str]]) -> None:
        """Create each (method, route template)'s response classes and latency at 0."""
        for method, route in routes:
            for status_class in STATUS_CLASSES:
                self.http_responses.labels(method, route, status_class)
            self.http_latency.labels(method, route)

    def prime_consumers(self, consumers: Iterable[str]) -> None:
        """Create each durable consumer's outcome series at 0."""
        for consumer in consumers:
            for outcome in ("ok", "retried", "parked"):
                self.consumed.labels(consumer=consumer, outcome=outcome)

    def prime_faststream(self, handlers: Iterable[str], destinations: Iterable[str]) -> None:
        """Create FastStream's series of each subscribed subject and publish destination at 0."""
        from faststream.prometheus.container import MetricsContainer
        from faststream.prometheus.types import ProcessingStatus, PublishingStatus

        # The container finds the collectors NatsPrometheusMiddleware registered here.
        fs = MetricsContainer(self.registry, custom_label_names=[])
        common = {"app_name": self.service, "broker": "nats"}
        for handler in handlers:
            labels = {**common, "handler": handler}
            fs.received_messages_total.labels(**labels)
            fs.received_messages_size_bytes.labels(**labels)
            fs.received_messages_in_process.labels(**labels)
            fs.received_processed_messages_duration_seconds.labels(**labels)
            for status in ProcessingStatus:
                fs.received_processed_messages_total.labels(**labels, status=status.value)
        for destination in destinations:
            labels = {**common, "destination": destination}
            fs.published_messages_duration_seconds.labels(**labels)
            for published in PublishingStatus:
                fs.published_messages_total.labels(**labels, status=published.value)
