"""The sender: claim due emails, compose, send through the pool, record every fate.

Exactly once, and the one window SMTP cannot close
--------------------------------------------------
An email exists once: its outbox row is unique by (recipient, ref, kind) and is inserted in the
transaction that records the consumed event, so redeliveries and restarts never add a second.
Sending is: (1) commit the row as 'sending' under a claim, (2) SMTP transaction, (3) commit
'sent'. A crash after the server answered 250 to DATA but before (3) commits leaves a row
'sending' for a message that was in fact delivered; nothing on our side can tell that apart
from a crash before DATA completed (the common case: the SMTP conversation takes far longer
than the commit after it). We choose at-least-once for that window: a 'sending' row whose claim
is older than the lease (default 10 minutes, well beyond an SMTP transaction's timeout so a
live sender is never overtaken) goes back to 'pending' and is sent again, with the same
Message-ID (derived from the idempotency key), so mail systems that collapse duplicates by
Message-ID hide it. Losing an alert silently would be worse than the rare visible duplicate.

We narrow that window to what SMTP itself leaves open: each acceptance is recorded durably
before the next message goes out on the same connection, so a crash finds at most one accepted
but unrecorded message per open SMTP connection (the one whose 250 was in flight). It is one
append to the acceptance journal (adapters/journal.py), then 'sent' by group commit
(workers/recorder.py); a notifier without a journal of its own (another process holds it) waits
for the commit of its 'sent' instead (commits shared by whatever acceptances arrive meanwhile).
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from opentelemetry.trace import NoOpTracer, Tracer
from sqlalchemy.ext.asyncio import async_sessionmaker

from contracts import utcnow
from services.notifier.adapters.journal import AcceptanceJournal
from services.notifier.adapters.smtp import SmtpPool
from services.notifier.emails import Composer
from services.notifier.repository import email_outbox
from services.notifier.workers.delivery import Delivery, read_batch
from services.notifier.workers.loop import Loop
from services.notifier.workers.recorder import Done, Recorder

log = logging.getLogger("innoportal.notifier.sender")
# Three: one finishing its last sends and commit, one sending, one just claimed.
BATCHES_IN_FLIGHT = 3


@dataclass(frozen=True)
class SenderPolicy:
    """Batch size, lease of a claim, and the retry schedule of transient failures."""

    batch: int = 200
    lease: timedelta = timedelta(minutes=10)
    max_attempts: int = 8
    base_delay: float = 30.0
    max_delay: float = 3600.0
    poll_interval: float = 2.0
    # With a journal, acceptances are already on disk: 'sent' may wait to share a commit.
    group_commit: float = 0.05  # seconds a finished send may wait to share a commit
    group_size: int = 200  # no lingering when this many are already waiting


@dataclass
class SenderStats:
    """Counts since start, for metrics."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    suppressed: int = 0
    recovered: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


class EmailSender:
    """Delivers the email outbox; run() until stopped, or drain() what is due."""

    def __init__(
        self, sessions: async_sessionmaker, pool: SmtpPool, composer: Composer, *,
        envelope_from: str, policy: SenderPolicy | None = None,
        clock: Callable[[], datetime] = utcnow, metrics: Any = None, tracer: Tracer | None = None,
        journal: AcceptanceJournal | None = None,
    ) -> None:
        self.journal = journal  # None: each acceptance is committed before the connection goes on
        self.tracer = tracer or NoOpTracer()
        self.sessions, self.pool, self.composer = sessions, pool, composer
        self.metrics = metrics  # NotifierMetrics, or None
        self.envelope_from = envelope_from
        self.policy = policy or SenderPolicy()
        self.clock = clock
        self.stats = SenderStats()
        self.loop = Loop("email sender round", self._round, self.policy.poll_interval, log)
        self.recorder = Recorder(sessions, journal, linger=self.policy.group_commit,
                                 group_size=self.policy.group_size, clock=lambda: self.clock(),
                                 counted=self._count)
        self.delivery = Delivery(composer, pool, journal, self.tracer, envelope_from,
                                 self.policy.max_attempts, self.policy.base_delay,
                                 self.policy.max_delay)

    def wake(self) -> None:
        """Look for work now (call after a commit that queued emails)."""
        self.loop.wake()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; waits for wake() or the poll interval when idle."""
        await self.loop.run(stop)

    async def drain(self, now: datetime | None = None, max_rounds: int = 10_000) -> int:
        """Deliver until nothing is due at `now`; the number of emails settled."""
        return await self._pump(lambda: now or self.clock(), max_rounds)

    async def recover(self, *, every_sending_row: bool) -> tuple[int, int]:
        """After a restart: what the journal says the SMTP server accepted is 'sent', and the
        other 'sending' rows of the process that died go back to 'pending' now rather than after
        the lease (same Message-ID). `every_sending_row` on SQLite, where one process owns the
        file and so held them all; otherwise only the rows of the claims in the journal. The
        emails (recorded as sent, put back)."""
        entries = self.journal.entries() if self.journal else []
        claims = None if every_sending_row else (self.journal.claims() if self.journal else [])
        async with self.sessions() as s, s.begin():
            accepted = await email_outbox.apply_journal(s, entries, now=self.clock())
            back = await email_outbox.recover_stale(s, now=self.clock(), lease=timedelta(0),
                                                    claims=claims)
        if self.journal is not None:
            self.journal.clear()
        if accepted:
            log.info("%d email(s) accepted by the SMTP server just before the last process "
                     "stopped were recorded as sent", accepted)
        if back:
            log.warning("%d email(s) were being sent when the last process stopped; "
                        "sending them again with the same Message-ID", back)
            if self.metrics is not None:
                self.metrics.observe_recovered(back)
        return accepted, back

    async def _round(self, stop: asyncio.Event) -> None:
        await self._pump(self.clock, 1_000_000, stop)

    async def _pump(self, now_of: Callable[[], datetime], max_rounds: int,
                    stop: asyncio.Event | None = None) -> int:
        # The next batch is claimed as soon as every row of the current one is in a worker's
        # hands, not when its last send (and the commit after it) ends: the pool never idles
        # between batches. At most BATCHES_IN_FLIGHT batches are in memory.
        total, running = 0, []
        try:
            for _ in range(max_rounds):
                if stop is not None and stop.is_set():
                    break
                now = now_of()
                rows = await self._claim(now)
                if not rows:
                    break
                handed_out = asyncio.Event()
                task = asyncio.create_task(self._process(rows, now, handed_out))
                task.add_done_callback(lambda _, ev=handed_out: ev.set())  # however it ends
                running.append(task)
                await handed_out.wait()
                if task.done() and not task.cancelled() and task.exception() is not None:
                    break  # recording failed: claim nothing more; raised below
                if len(running) == BATCHES_IN_FLIGHT:
                    total += await running.pop(0)
        finally:
            results = await asyncio.gather(*running, return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        if errors:
            raise errors[0]
        total += sum(results)
        if self.journal is not None:
            self.journal.clear()  # every acceptance in it is committed now
        return total

    async def _claim(self, now: datetime) -> list[Any]:
        async with self.sessions() as s, s.begin():
            recovered = await email_outbox.recover_stale(s, now=now, lease=self.policy.lease)
            rows = await email_outbox.claim_due(s, now=now, limit=self.policy.batch)
        if rows and self.journal is not None:
            self.journal.record_claim(rows[0].claim)  # a restart then knows these rows were ours
        self.stats.recovered += recovered
        if self.metrics is not None:
            self.metrics.observe_recovered(recovered)
        return rows

    async def _process(self, rows: list[Any], now: datetime, handed_out: asyncio.Event) -> int:
        claim = rows[0].claim
        batch = await read_batch(self.sessions, rows)
        done: asyncio.Queue[Done | None] = asyncio.Queue()
        writer = asyncio.create_task(self.recorder.run(claim, done))
        queue = iter(rows)
        broken: list[BaseException] = []  # a failed record: send nothing more in this round

        async def work() -> None:
            # Two workers per connection, each composing just before it waits for a connection:
            # composing interleaves with SMTP round trips instead of stalling them in one burst
            # (200 coroutines composing at once held the event loop for milliseconds).
            for row in queue:
                if broken:
                    return  # rows left 'sending' go back to 'pending' (never sent: no double)
                try:
                    await self.delivery.deliver(row, now, batch, done, proceed=lambda: not broken)
                except Exception as exc:
                    broken.append(exc)
                    return
            handed_out.set()  # the rows are all taken: the next batch may be claimed

        try:
            await asyncio.gather(*(work() for _ in range(2 * self.pool.size)))
        finally:
            await done.put(None)
            await writer
        if broken:
            raise broken[0]
        return len(rows)

    def _count(self, entries: list) -> None:
        if self.metrics is not None:
            self.metrics.observe_settled(entries)
        for row, st in entries:
            if st.state == "sent":
                self.stats.sent += 1
                self.stats.by_kind[row.kind] = self.stats.by_kind.get(row.kind, 0) + 1
            elif st.state == "pending":
                self.stats.retried += 1
            elif st.state == "failed":
                self.stats.failed += 1
            else:
                self.stats.suppressed += 1

