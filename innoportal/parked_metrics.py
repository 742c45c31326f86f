"""A service's metrics of parked messages: how many wait per consumer, how many were replayed or
purged (`innoportal parked replay|purge` keeps those totals in NATS; see innoportal.parked)."""

import asyncio
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Gauge
from prometheus_client.core import CounterMetricFamily

log = logging.getLogger("innoportal.parked")


class ParkedMetrics:
    """innoportal_parked_messages{consumer} and innoportal_parked_{replayed,purged}_total."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.parked = Gauge(
            "innoportal_parked_messages",
            "Messages waiting on INNOPORTAL_PARKED, per consumer (refreshed every "
            "INNOPORTAL_PARKED_REFRESH_SECONDS).",
            ["consumer"], registry=registry,
        )
        self.totals: dict[str, dict[str, int]] = {}
        registry.register(_Totals(self))

    def watch(self, consumers: Iterable[str]) -> None:
        """Show these consumers' series from the start, at 0."""
        for consumer in consumers:
            self.parked.labels(consumer=consumer).set(0)
            self.totals.setdefault(consumer, {"replayed": 0, "purged": 0})

    async def refresh(self, js: Any) -> None:
        """Read the parked stream's count per subject and the replay/purge totals."""
        from nats.js.errors import NotFoundError

        from contracts.streams import PARKED_STREAM_NAME, PARKED_SUBJECT_PREFIX
        from innoportal.parked import read_counts

        try:
            info = await js.stream_info(PARKED_STREAM_NAME,
                                        subjects_filter=f"{PARKED_SUBJECT_PREFIX}.>")
            per_subject = info.state.subjects or {}
        except NotFoundError:
            per_subject = {}
        for consumer in self.totals:
            self.parked.labels(consumer=consumer).set(
                per_subject.get(f"{PARKED_SUBJECT_PREFIX}.{consumer}", 0))
        self.totals.update(await read_counts(js, list(self.totals)))

    async def run(self, jetstream: Callable[[], Any], interval: float) -> None:
        """Refresh every `interval` seconds until cancelled (NATS away: try again next time)."""
        while True:
            try:
                await self.refresh(jetstream())
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.debug("parked metrics not refreshed: %s", exc)
            await asyncio.sleep(interval)


class _Totals:
    """The replay and purge totals as counters (their values live in NATS, not here)."""

    def __init__(self, metrics: ParkedMetrics) -> None:
        self.metrics = metrics

    def describe(self) -> list[CounterMetricFamily]:
        return list(self._families({}))

    def collect(self) -> Iterator[CounterMetricFamily]:
        return self._families(self.metrics.totals)

    @staticmethod
    def _families(totals: dict[str, dict[str, int]]) -> Iterator[CounterMetricFamily]:
        for what, doc in (("replayed", "Parked messages replayed by operators, per consumer."),
                          ("purged", "Parked messages purged by operators, per consumer.")):
            family = CounterMetricFamily(f"innoportal_parked_{what}", doc, labels=["consumer"])
            for consumer, counts in sorted(totals.items()):
                family.add_metric([consumer], counts.get(what, 0))
            yield family
