"""Bus wiring: the NATS broker, the streams, and durable consumers reconciled with our config."""

import logging
from dataclasses import replace
from collections.abc import Iterable

from urllib.parse import unquote, urlsplit

from faststream.nats import JStream, NatsBroker
from faststream.nats.security import NatsUserPassword
from nats.js.errors import BadRequestError

from contracts import PARKED_STREAM, PARKED_SUBJECT_PREFIX, STREAM, STREAM_SUBJECTS
from innoportal.consume import ConsumePolicy, DurableSpec, ReliableConsume
from innoportal.metrics import ServiceMetrics

log = logging.getLogger("innoportal.bus")


def split_servers(nats_url: str) -> tuple[list[str], NatsUserPassword | None]:
    """Server URLs of a comma-separated list, and the user/password the first one carries.

    The credentials are passed as options as well, so a reconnect to a server the cluster
    advertised without them still authenticates.
    """
    servers = [s.strip() for s in nats_url.split(",") if s.strip()]
    parsed = urlsplit(servers[0]) if servers else None
    if parsed and parsed.username and parsed.password:
        security = NatsUserPassword(username=unquote(parsed.username),
                                    password=unquote(parsed.password))
        return servers, security
    return servers, None


def make_broker(
    nats_url: str, *, service: str, metrics: ServiceMetrics, policy: ConsumePolicy
) -> NatsBroker:
    """A NatsBroker that reconnects forever, with Prometheus and the safe consume policy."""
    from faststream.nats.prometheus import NatsPrometheusMiddleware

    servers, security = split_servers(nats_url)

    async def disconnected() -> None:
        metrics.bus_connected.set(0)

    async def reconnected() -> None:
        metrics.bus_connected.set(1)

    return NatsBroker(
        servers=servers,
        security=security,
        disconnected_cb=disconnected,
        reconnected_cb=reconnected,
        name=f"innoportal-{service}",
        max_reconnect_attempts=-1,
        reconnect_time_wait=1.0,
        connect_timeout=2.0,
        middlewares=[
            NatsPrometheusMiddleware(registry=metrics.registry, app_name=service),
            ReliableConsume(policy, metrics),
        ],
        graceful_timeout=10.0,
        # One log line per message costs more than the message itself at volume; failures
        # are still logged (WARNING/ERROR) by the consume policy.
        log_level=logging.DEBUG,
    )


async def ensure_stream(js, stream: JStream, subjects: list[str], replicas: int = 0) -> None:
    """Create the stream, or bring an existing one's config up to ours.

    `replicas` 0 keeps what the server has (an operator may have raised it to 3), and is 1
    for a new stream.
    """
    config = replace(stream.config, subjects=list(subjects), num_replicas=replicas or 1)
    try:
        await js.add_stream(config=config)
    except BadRequestError as exc:
        if "already in use" not in (exc.description or ""):
            raise
        if not replicas:
            current = await js.stream_info(stream.name)
            config = replace(config, num_replicas=current.config.num_replicas or 1)
        await js.update_stream(config=config)


async def ensure_streams(js, replicas: int = 0) -> None:
    """Declare INNOPORTAL and INNOPORTAL_PARKED with the config in contracts."""
    await ensure_stream(js, STREAM, STREAM_SUBJECTS, replicas)
    await ensure_stream(js, PARKED_STREAM, [f"{PARKED_SUBJECT_PREFIX}.>"], replicas)


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
