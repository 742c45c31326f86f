"""Bus wiring: the NATS broker, the streams, and durable consumers reconciled with our config."""

import logging
from dataclasses import replace
from collections.abc import Iterable

from faststream.nats import JStream, NatsBroker
from nats.js.errors import BadRequestError

from contracts import PARKED_STREAM, PARKED_SUBJECT_PREFIX, STREAM, STREAM_SUBJECTS
from innoportal.consume import ConsumePolicy, DurableSpec, ReliableConsume
from innoportal.metrics import ServiceMetrics

log = logging.getLogger("innoportal.bus")


def make_broker(
    nats_url: str, *, service: str, metrics: ServiceMetrics, policy: ConsumePolicy
) -> NatsBroker:
    """A NatsBroker that reconnects forever, with Prometheus and the safe consume policy."""
    from faststream.nats.prometheus import NatsPrometheusMiddleware

    return NatsBroker(
        servers=[s.strip() for s in nats_url.split(",") if s.strip()],
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


async def ensure_stream(js, stream: JStream, subjects: list[str]) -> None:
    """Create the stream, or bring an existing one's config up to ours."""
    config = replace(stream.config, subjects=list(subjects))
    try:
        await js.add_stream(config=config)
    except BadRequestError as exc:
        if "already in use" not in (exc.description or ""):
            raise
        await js.update_stream(config=config)


async def ensure_streams(js) -> None:
    """Declare INNOPORTAL and INNOPORTAL_PARKED with the config in contracts."""
    await ensure_stream(js, STREAM, STREAM_SUBJECTS)
    await ensure_stream(js, PARKED_STREAM, [f"{PARKED_SUBJECT_PREFIX}.>"])


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
