"""Periodic work: digests of the last closed period, purging expired sign-ups, metric gauges."""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from contracts import utcnow
from innoportal.db import Database
from services.notifier import delivery_log, jobs, planner, repository
from services.notifier.domain import last_closed_period
from services.notifier.metrics import NotifierMetrics
from services.notifier.models import Subscription

log = logging.getLogger("innoportal.notifier.scheduler")


def digest_due(frequency: str, now: datetime, hour: int) -> bool:
    """Whether the last closed daily or weekly period's digests may go out at `now`.

    A period ends at midnight, Hong Kong time (Monday for weekly); its digests go out from
    `hour` o'clock on. Until the next period closes, later checks find nothing left to send.
    """
    return now >= last_closed_period(frequency, now).end + timedelta(hours=hour)


class DigestScheduler:
    """Queues due digests (each batch of subscribers its own transaction) and purges sign-ups
    never confirmed; safe to run on several nodes at once (a digest is unique by period)."""

    def __init__(self, db: Database, *, hour: int = 8, interval: float = 60.0, batch: int = 500,
                 unconfirmed_ttl: timedelta = timedelta(hours=72),
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db, self.hour, self.interval, self.batch = db, hour, interval, batch
        self.unconfirmed_ttl, self.clock = unconfirmed_ttl, clock

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
                async with self.db.transaction() as s:
                    n, after = await planner.plan_digest_batch(
                        s, frequency, now=now, after=after, batch=self.batch)
                done[frequency] += n
        async with self.db.transaction() as s:
            done["purged"] = await repository.purge_unconfirmed(s, older_than=now - self.unconfirmed_ttl)
        return done

    async def run(self, stop: asyncio.Event) -> None:
        """Check every `interval` seconds until `stop` is set."""
        while not stop.is_set():
            try:
                done = await self.run_once()
                if done["daily"] or done["weekly"]:
                    log.info("digests queued: %d daily, %d weekly", done["daily"], done["weekly"])
            except Exception:
                log.exception("digest round failed")
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.interval)
            except TimeoutError:
                pass


async def refresh_gauges(db: Database, metrics: NotifierMetrics) -> None:
    """Emails by state, open fan-outs and subscriptions by status, from the database."""
    async with db.session() as s:
        metrics.set_states(await delivery_log.count_by_state(s))
        metrics.fanouts_open.set(await jobs.open_fanout_jobs(s))
        rows = await s.exec(select(Subscription.status, func.count()).group_by(Subscription.status))
        metrics.set_subscriptions({status: n for status, n in rows.all()})


async def refresh_gauges_forever(db: Database, metrics: NotifierMetrics, interval: float,
                                 stop: asyncio.Event, extra: Callable[[], None] | None = None) -> None:
    """refresh_gauges every `interval` seconds until `stop` is set."""
    while not stop.is_set():
        try:
            await refresh_gauges(db, metrics)
            if extra is not None:
                extra()
        except Exception:
            log.exception("metrics refresh failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            pass
