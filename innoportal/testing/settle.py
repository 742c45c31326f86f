"""Reading a running system from outside, as its operator would: a service's Prometheus samples,
readiness, and whether anything is still in flight (JetStream consumers, outboxes, the notifier)."""

import asyncio

import httpx
import nats
from prometheus_client.parser import text_string_to_metric_families

from contracts import STREAM_NAME
from innoportal.services import SERVICES
from innoportal.testing.system import System


def metric(system: System, service: str, name: str, **labels: str) -> float:
    """The sum of a service's samples `name` carrying `labels`."""
    text = httpx.get(system.url(service) + "/metrics", timeout=5).text
    return sum(sample.value for family in text_string_to_metric_families(text)
               for sample in family.samples
               if sample.name == name and all(sample.labels.get(k) == v
                                              for k, v in labels.items()))


def ready(system: System) -> bool:
    """Every service answers /readyz (database and bus) with 200."""
    return all(httpx.get(system.url(name) + "/readyz", timeout=2).status_code == 200
               for name in SERVICES)


async def consumers(nats_url: str | list[str]) -> list:
    """Every durable consumer of INNOPORTAL, as the server (or any of a cluster's) sees it."""
    nc = await nats.connect(servers=nats_url, connect_timeout=3, max_reconnect_attempts=1)
    try:
        return await nc.jetstream(timeout=5).consumers_info(STREAM_NAME)
    finally:
        await nc.close()


def in_flight(system: System, nats_url: str) -> list[str]:
    """What is still moving (empty when the system has settled): a service not ready, a consumer
    with messages pending or unacknowledged, an outbox not empty, the notifier's fan-outs and
    emails to send."""
    moving = [f"{name} not ready" for name in SERVICES
              if httpx.get(system.url(name) + "/readyz", timeout=2).status_code != 200]
    if moving:
        return moving
    moving += [f"consumer {c.name}: {c.num_pending} pending, {c.num_ack_pending} unacked"
               for c in asyncio.run(consumers(nats_url)) if c.num_pending or c.num_ack_pending]
    moving += [f"{name} outbox: {n:.0f}" for name in SERVICES
               if (n := metric(system, name, "innoportal_outbox_backlog"))]
    for state in ("pending", "sending"):
        if n := metric(system, "notifier", "innoportal_notifier_emails", state=state):
            moving.append(f"notifier emails {state}: {n:.0f}")
    if n := metric(system, "notifier", "innoportal_notifier_fanouts_open"):
        moving.append(f"notifier fan-outs open: {n:.0f}")
    return moving

