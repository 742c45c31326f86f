"""Bus wiring: the NATS broker, the streams, and durable consumers reconciled with our config."""

import logging
import time
from dataclasses import replace
from typing import Any
from collections.abc import Iterable

from urllib.parse import unquote, urlsplit, urlunsplit

from faststream.nats import JStream, NatsBroker
from faststream.nats.security import NatsUserPassword
from nats.js.errors import BadRequestError

from contracts import PARKED_STREAM, PARKED_SUBJECT_PREFIX, STREAM, STREAM_SUBJECTS
from innoportal.consume import ConsumePolicy, DurableSpec, ReliableConsume
from innoportal.logs import BUS_LOGGER
from innoportal.metrics import ServiceMetrics
from innoportal.replay import ReplayFilter

log = logging.getLogger("innoportal.bus")


def split_servers(nats_url: str) -> tuple[list[str], NatsUserPassword | None]:
    """Server URLs of a comma-separated list, and the user/password the first one carries
    (then taken out of every URL).

    The credentials are passed as options as well, so a reconnect to a server the cluster
    advertised without them still authenticates.
    """
    servers = [s.strip() for s in nats_url.split(",") if s.strip()]
    parsed = urlsplit(servers[0]) if servers else None
    if parsed and parsed.username and parsed.password:
        security = NatsUserPassword(username=unquote(parsed.username),
                                    password=unquote(parsed.password))
        # Then out of the URLs: FastStream refuses credentials in both ("URL credentials
        # conflict with `security`"), and nats-py would prefer the options anyway.
        return [urlunsplit(urlsplit(s)._replace(netloc=urlsplit(s).netloc.rpartition("@")[2]))
                for s in servers], security
    return servers, None


class BusWatch:
    """The NATS connection's state, for the metric and the log: losing it is one WARNING line,
    getting it back one INFO line (FastStream's own lines about it are DEBUG: innoportal.logs)."""

    def __init__(self, metrics: ServiceMetrics) -> None:
        self.metrics = metrics
        self.connected = False
        self.closing = False  # stopping on purpose: a closed connection is no news
        self._lost_at: float | None = None

    def up(self) -> None:
        """The first connection is made (the runtime says so)."""
        self.connected = True
        self.metrics.bus_connected.set(1)

    async def disconnected(self) -> None:
        """nats-py's disconnected callback."""
        self.metrics.bus_connected.set(0)
        was, self.connected = self.connected, False
        if was and not self.closing:
            self._lost_at = time.monotonic()
            log.warning("lost the connection to NATS; reconnecting (new events wait in the "
                        "outbox, readiness fails meanwhile)")

    async def reconnected(self) -> None:
        """nats-py's reconnected callback."""
        self.up()
        if self._lost_at is not None:
            seconds = time.monotonic() - self._lost_at
            self._lost_at = None
            log.info("reconnected to NATS after %.1fs", seconds, extra={"seconds": round(seconds, 1)})


def make_broker(
    nats_url: str, *, service: str, metrics: ServiceMetrics, policy: ConsumePolicy,
    watch: BusWatch | None = None, tracer_provider: Any = None,
) -> NatsBroker:
    """A NatsBroker that reconnects forever, with Prometheus, the safe consume policy and, when
    `tracer_provider` is given, FastStream's OpenTelemetry middleware."""
    from faststream.nats.prometheus import NatsPrometheusMiddleware

    servers, security = split_servers(nats_url)
    watch = watch or BusWatch(metrics)
    middlewares: list[Any] = [
        NatsPrometheusMiddleware(registry=metrics.registry, app_name=service),
        ReliableConsume(policy, metrics),
        ReplayFilter,  # last, innermost: a replay for another consumer never reaches a handler
    ]
    if tracer_provider is not None:
        from faststream.nats.opentelemetry import NatsTelemetryMiddleware

        # First, so its span surrounds the consume policy's logging and the handler.
        middlewares.insert(0, NatsTelemetryMiddleware(tracer_provider=tracer_provider))
    return NatsBroker(
        servers=servers,
        security=security,
        disconnected_cb=watch.disconnected,
        reconnected_cb=watch.reconnected,
        name=f"innoportal-{service}",
        max_reconnect_attempts=-1,
        reconnect_time_wait=1.0,
        connect_timeout=2.0,
        middlewares=middlewares,
        graceful_timeout=10.0,
        # Through our logging (innoportal.logs), whose LevelPolicy lowers the routine.
        logger=logging.getLogger(BUS_LOGGER),
        # One log line per message costs more than the message itself at volume; failures
        # are still logged (WARNING/ERROR) by the consume policy.
        log_level=logging.DEBUG,
    )


async def ensure_stream(
    js, stream: JStream, subjects: list[str], replicas: int = 0, max_age: float | None = None
) -> None:
    """Create the stream, or bring an existing one's config up to ours.

    `replicas` 0 keeps what the server has (an operator may have raised it to 3), and is 1
    for a new stream; `max_age` (seconds) replaces the contract's when given.
    """
    config = replace(stream.config, subjects=list(subjects), num_replicas=replicas or 1)
    if max_age is not None:
        config = replace(config, max_age=max_age)
    try:
        await js.add_stream(config=config)
    except BadRequestError as exc:
        if "already in use" not in (exc.description or ""):
            raise
        if not replicas:
            current = await js.stream_info(stream.name)
            config = replace(config, num_replicas=current.config.num_replicas or 1)
        await js.update_stream(config=config)


async def ensure_streams(js, replicas: int = 0, parked_max_age: float | None = None) -> None:
    """Declare INNOPORTAL and INNOPORTAL_PARKED with the config in contracts; parked messages
    are kept `parked_max_age` seconds (INNOPORTAL_PARKED_KEEP_DAYS) when given."""
    await ensure_stream(js, STREAM, STREAM_SUBJECTS, replicas)
    await ensure_stream(js, PARKED_STREAM, [f"{PARKED_SUBJECT_PREFIX}.>"], replicas,
                        max_age=parked_max_age)


async def reconcile_consumers(js, durables: Iterable[DurableSpec], policy: ConsumePolicy) -> None:
    """Create each durable consumer, or update it: the server otherwise keeps its old config."""
    for spec in durables:
        config = spec.consumer_config(policy)
        try:
            await js.add_consumer(STREAM.name, config=config)
        except BadRequestError as exc:
            log.warning("could not update consumer %s (%s); recreating", spec.durable, exc)
            info = await js.consumer_info(STREAM.name, spec.durable)
            if info.config.filter_subject != spec.subject:
                await js.delete_consumer(STREAM.name, spec.durable)
                await js.add_consumer(STREAM.name, config=config)
            else:
                raise


def bus_series(router: Any) -> tuple[list[str], list[str]]:
    """The subjects a service's router consumes (FastStream's handler label) and publishes to
    (its destination label), for metrics created at 0."""
    handlers = [spec.subject for spec in getattr(router, "durables", [])]
    destinations = [getattr(p.subject, "template", str(p.subject)) for p in router.publishers]
    return handlers, destinations
