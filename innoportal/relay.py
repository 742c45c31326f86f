"""The outbox relay: publishes stored events to JetStream, with Nats-Msg-Id = event_id, never losing one."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, update
from sqlmodel import col, select

from contracts import utcnow
from innoportal.db import Database
from innoportal.metrics import ServiceMetrics
from innoportal.outbox import OutboxMessage, on_outbox_commit, remove_outbox_waker
from innoportal.tracing import continued

log = logging.getLogger("innoportal.relay")

# publish(subject, payload, headers) -> awaits the JetStream ack; raises when not stored.
PublishFn = Callable[[str, bytes, dict[str, str]], Awaitable[object]]


class OutboxRelay:
    """Moves outbox rows to JetStream in id order, in pipelined batches, retrying with backoff."""

    def __init__(
        self,
        db: Database,
        publish: PublishFn,
        *,
        metrics: ServiceMetrics | None = None,
        batch: int = 256,
        poll_interval: float = 0.5,
        max_backoff: float = 30.0,
        keep_published: timedelta = timedelta(hours=24),
        bus_connected: Callable[[], bool] = lambda: True,
    ) -> None:
        self.db = db
        self.publish = publish
        self.metrics = metrics
        self.batch = batch
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        self.keep_published = keep_published
        # While the bus is known to be away the bus watch has said so: failing to publish then
        # is expected, and logged at DEBUG only.
        self.bus_connected = bus_connected
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._last_gc = 0.0
        self.published_total = 0

    def wake(self) -> None:
        """Ask the relay to look at the outbox now (called after a commit that staged events)."""
        loop = self._loop
        if loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake.set()
        else:
            loop.call_soon_threadsafe(self._wake.set)

    _loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        """Run the relay in the background until stop()."""
        self._loop = asyncio.get_running_loop()
        on_outbox_commit(self.wake)
        self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self) -> None:
        """Stop the background relay (unpublished rows stay for the next start)."""
        remove_outbox_waker(self.wake)
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def run(self) -> None:
        """Publish forever; back off exponentially while publishing fails."""
        failures, warned = 0, False
        while True:
            try:
                published = await self.drain_once()
                if warned:
                    log.info("outbox relay publishing again after %d failed attempt(s)",
                             failures, extra={"failures": failures})
                failures, warned = 0, False
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # NATS away, DB busy: keep the rows, try again later
                failures += 1
                delay = min(self.max_backoff, 0.1 * 2 ** min(failures, 16))
                # Once per run of failures, and not for an outage the bus watch reported.
                loud = not warned and self.bus_connected()
                warned = warned or loud
                log.log(logging.WARNING if loud else logging.DEBUG,
                        "outbox relay failed (%s); events wait in the outbox, retrying in %.1fs",
                        exc, delay, extra={"failures": failures})
                try:  # the backlog alert must see events waiting while NATS is away
                    await self._refresh_gauges()
                except Exception:
                    pass
                await self._sleep(delay)
                continue
            if published == 0:
                await self._refresh_gauges()
                await self._sleep(self.poll_interval)

    async def _sleep(self, seconds: float) -> None:
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except TimeoutError:
            pass

    async def drain_once(self) -> int:
        """Publish one batch of pending rows; returns how many were published."""
        async with self.db.session() as session:
            rows = (
                await session.exec(
                    select(OutboxMessage)
                    .where(col(OutboxMessage.published_at).is_(None))
                    .order_by(col(OutboxMessage.id))
                    .limit(self.batch)
                )
            ).all()
        if not rows:
            return 0
        # The database is not held while publishing (NATS may be slow or away). Two relays
        # racing on the same rows publish the same Nats-Msg-Id, which JetStream deduplicates.
        # All publishes of a batch are in flight together: one round trip of acks, not N.
        results = await asyncio.gather(*(self._publish(r) for r in rows), return_exceptions=True)
        done = [row.id for row, result in zip(rows, results, strict=True)
                if not isinstance(result, BaseException)]
        failed = [(row, result) for row, result in zip(rows, results, strict=True)
                  if isinstance(result, BaseException)]
        # Every event JetStream acked is marked, even after a failed one: republishing it
        # later (perhaps beyond the duplicate window) would store it twice. A failed event is
        # retried without holding back those behind it, so the stream keeps the outbox order
        # only while publishing succeeds; consumers tolerate that (a close before its post).
        async with self.db.transaction() as session:
            if done:
                await session.exec(
                    update(OutboxMessage)
                    .where(col(OutboxMessage.id).in_(done))
                    .values(published_at=utcnow(), attempts=OutboxMessage.attempts + 1)
                )
            for row, error in failed:
                await session.exec(
                    update(OutboxMessage)
                    .where(col(OutboxMessage.id) == row.id)
                    .values(attempts=OutboxMessage.attempts + 1, last_error=repr(error)[:500])
                )
        self.published_total += len(done)
        if self.metrics and done:
            self.metrics.events_published.inc(len(done))
        if failed and not done:
            raise failed[0][1]  # nothing got through: the caller backs off
        if failed:
            log.log(logging.WARNING if self.bus_connected() else logging.DEBUG,
                    "outbox: %d of %d events not published yet: %r", len(failed), len(rows),
                    failed[0][1])
        return len(done)

    async def _publish(self, row: OutboxMessage) -> object:
        # Each publish runs in a task of its own (gather): the trace that staged the event is
        # the current one there, so the publish span (and the header it sends) continues it.
        with continued(row.traceparent):
            return await self.publish(row.subject, row.payload.encode(), self._headers(row))

    @staticmethod
    def _headers(row: OutboxMessage) -> dict[str, str]:
        headers = {"Nats-Msg-Id": row.event_id, "content-type": "application/json"}
        if row.traceparent:  # without tracing in this process it is passed on as it was
            headers["traceparent"] = row.traceparent
        return headers

    async def backlog(self) -> tuple[int, float]:
        """How many events wait, and the age in seconds of the oldest one."""
        async with self.db.session() as session:
            count, oldest = (
                await session.exec(
                    select(func.count(), func.min(OutboxMessage.created_at)).where(
                        col(OutboxMessage.published_at).is_(None)
                    )
                )
            ).one()
        age = 0.0
        if oldest is not None:
            oldest = _as_utc(oldest)
            age = max(0.0, (utcnow() - oldest).total_seconds())
        return int(count), age

    async def _refresh_gauges(self) -> None:
        loop = asyncio.get_running_loop()
        if self.metrics is not None:
            count, age = await self.backlog()
            self.metrics.outbox_backlog.set(count)
            self.metrics.outbox_oldest_age.set(age)
        if loop.time() - self._last_gc > 60:
            self._last_gc = loop.time()
            await self._collect_garbage()

    async def _collect_garbage(self) -> None:
        # Published rows are kept a while for audit, then deleted so the table stays small.
        cutoff = utcnow() - self.keep_published
        async with self.db.transaction() as session:
            await session.exec(
                delete(OutboxMessage).where(
                    col(OutboxMessage.published_at).is_not(None),
                    col(OutboxMessage.published_at) < cutoff,
                )
            )


def _as_utc(value: datetime | str) -> datetime:
    """Coerce a datetime (or SQLite's string) read by an aggregate to aware UTC."""
    # func.min() bypasses the column's type, so SQLite hands back a naive string.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
