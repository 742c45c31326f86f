"""The digest worker: queues the digests of the last closed period once it is due, and purges the
sign-ups never confirmed."""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from contracts import utcnow
from innoportal.db import Database
from innoportal.uow import unit_of_work
from services.notifier.domain import digest_due
from services.notifier.service import digests
from services.notifier.workers.loop import Loop

log = logging.getLogger("innoportal.notifier.scheduler")


class DigestScheduler:
    """Queues due digests (each batch of subscribers its own transaction) and purges sign-ups
    never confirmed; safe to run on several nodes at once (a digest is unique by period)."""

    def __init__(self, db: Database, *, hour: int = 8, interval: float = 60.0, batch: int = 500,
                 unconfirmed_ttl: timedelta = timedelta(hours=72),
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db, self.hour, self.batch = db, hour, batch
        self.unconfirmed_ttl, self.clock = unconfirmed_ttl, clock
        self.loop = Loop("digest round", self._round, interval, log)

    async def run(self, stop: asyncio.Event) -> None:
        """Check every `interval` seconds until `stop` is set."""
        await self.loop.run(stop)

    async def run_once(self, now: datetime | None = None) -> dict[str, int]:
        """Queue what is due at `now`; the digests queued by frequency, and sign-ups purged."""
        now = now or self.clock()
        done: dict[str, int] = {}
        for frequency in ("daily", "weekly"):
            done[frequency] = 0
            if not digest_due(frequency, now, self.hour):
                continue
            after: str | None = ""
            while after is not None:
                async with unit_of_work(self.db) as uow:
                    n, after = await digests.queue_digests(
                        uow, frequency, now=now, after=after, batch=self.batch)
                done[frequency] += n
        async with unit_of_work(self.db) as uow:
            done["purged"] = await digests.purge_unconfirmed_subscriptions(
                uow, older_than=now - self.unconfirmed_ttl)
        return done

    async def _round(self, _stop: asyncio.Event) -> None:
        done = await self.run_once()
        if done["daily"] or done["weekly"]:
            log.info("digests queued: %d daily, %d weekly", done["daily"], done["weekly"])
