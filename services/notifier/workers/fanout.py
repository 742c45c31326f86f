"""The fan-out worker: queues a fan-out's emails chunk by chunk, each chunk its own transaction."""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from opentelemetry.trace import NoOpTracer, Tracer

from contracts import utcnow
from innoportal.db import Database
from innoportal.tracing import TRACE_KEY, context_of
from innoportal.uow import unit_of_work
from services.notifier.repository import fanout_jobs
from services.notifier.service import alerts
from services.notifier.workers.loop import Loop

log = logging.getLogger("innoportal.notifier.fanout")


class FanoutWorker:
    """Runs queued fan-out jobs; run() until stopped, or drain() step by step.

    A chunk holds the database only for its own subscriptions (SQLite has one connection per
    database), so HTTP requests, consumers and the sender go on during a large fan-out.
    """

    def __init__(self, db: Database, *, chunk: int = 1000, poll_interval: float = 5.0,
                 clock: Callable[[], datetime] = utcnow, tracer: Tracer | None = None) -> None:
        self.db, self.chunk, self.clock = db, chunk, clock
        self.tracer = tracer or NoOpTracer()
        self.loop = Loop("fan-out chunk", self._round, poll_interval, log)
        self.chunks = 0

    def wake(self) -> None:
        """Look for work now (a commit queued a fan-out)."""
        self.loop.wake()

    async def run(self, stop: asyncio.Event) -> None:
        """Run fan-outs until `stop` is set; waits for wake() or the poll interval when idle."""
        await self.loop.run(stop)

    async def run_once(self) -> bool:
        """Queue one chunk of the oldest open fan-out; False when there is none."""
        async with unit_of_work(self.db) as uow:
            job = await fanout_jobs.next_fanout_job(uow.session)
            if job is None:
                return False
            with self.tracer.start_as_current_span(
                    "notifier fan-out chunk", context=context_of(job.payload.get(TRACE_KEY)),
                    attributes={"innoportal.fanout.kind": job.kind}):
                await alerts.queue_fanout_chunk(uow, job, now=self.clock(), limit=self.chunk)
        self.chunks += 1
        return True

    async def drain(self) -> int:
        """Run chunks until no fan-out is open; how many chunks ran."""
        n = 0
        while await self.run_once():
            n += 1
            await asyncio.sleep(0)  # let the sender and requests have the connection between chunks
        return n

    async def _round(self, stop: asyncio.Event) -> None:
        while not stop.is_set() and await self.run_once():
            await asyncio.sleep(0)
