"""The gauge worker: reads what the gauges show from the database every few seconds."""

import asyncio
import logging
from collections.abc import Callable

from innoportal.db import Database
from services.notifier import repository as repo
from services.notifier.metrics import NotifierMetrics
from services.notifier.repository import email_outbox, fanout_jobs
from services.notifier.workers.loop import Loop

log = logging.getLogger("innoportal.notifier.scheduler")


class GaugeRefresher:
    """Emails by state, open fan-outs, subscriptions by status and SMTP connections opened
    (`connections()`), set through NotifierMetrics every `interval` seconds."""

    def __init__(self, db: Database, metrics: NotifierMetrics, interval: float,
                 connections: Callable[[], int]) -> None:
        self.db, self.metrics, self.connections = db, metrics, connections
        self.loop = Loop("metrics refresh", self._round, interval, log)

    async def run(self, stop: asyncio.Event) -> None:
        """Refresh until `stop` is set."""
        await self.loop.run(stop)

    async def refresh(self) -> None:
        """Read the counts once and set the gauges."""
        async with self.db.session() as s:
            emails = await email_outbox.count_by_state(s)
            fanouts = await fanout_jobs.open_fanout_jobs(s)
            subscriptions = await repo.count_by_status(s)
        self.metrics.set_gauges(emails=emails, fanouts_open=fanouts, subscriptions=subscriptions,
                                smtp_connections=self.connections())

    async def _round(self, _stop: asyncio.Event) -> None:
        await self.refresh()
