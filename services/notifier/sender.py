"""The sender loop: claim due emails, compose, send through the pool, record every fate.

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
but unrecorded message per open SMTP connection (the one whose 250 was in flight). On SQLite it
is one append to the acceptance journal (journal.py), then 'sent' by group commit; elsewhere the
connection waits for the commit of its 'sent' (commits shared by whatever acceptances arrive
while one runs, no lingering).
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from opentelemetry.trace import NoOpTracer, SpanKind, Tracer
from sqlalchemy.ext.asyncio import async_sessionmaker

from contracts import utcnow
from innoportal.tracing import TRACE_KEY, context_of
from services.notifier import delivery_log as log_db
from services.notifier import repository as repo
from services.notifier.domain import LINK_KINDS, SUBSCRIBER_KINDS, email_key, retry_delay
from services.notifier.emails import Composer
from services.notifier.journal import AcceptanceJournal
from services.notifier.link_emails import expired, forget_links
from services.notifier.smtp import SendResult, SmtpPool

log = logging.getLogger("innoportal.notifier.sender")


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
    """Delivers the email outbox; run() forever, or run_once()/drain() step by step."""

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
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look for work now (call after a commit that queued emails)."""
        self._wake.set()

    async def run_once(self, now: datetime | None = None) -> int:
        """Recover stale claims, claim one batch of due emails and settle each; how many."""
        now = now or self.clock()
        rows = await self._claim(now)
        return await self._process(rows, now) if rows else 0

    async def drain(self, now: datetime | None = None, max_rounds: int = 10_000) -> int:
        """Deliver until nothing is due at `now`; the number of emails settled."""
        return await self._pump(lambda: now or self.clock(), max_rounds)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; waits for wake() or the poll interval when idle."""
        while not stop.is_set():
            self._wake.clear()  # before looking, so a commit during the round is not missed
            try:
                await self._pump(self.clock, 1_000_000, stop)
            except Exception:  # database down or a bug: keep the loop alive, retry soon
                log.exception("email sender round failed")
            waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            await asyncio.wait(waiters, timeout=self.policy.poll_interval,
                               return_when=asyncio.FIRST_COMPLETED)
            for w in waiters:
                w.cancel()

    async def _pump(self, now_of: Callable[[], datetime], max_rounds: int,
                    stop: asyncio.Event | None = None) -> int:
        # The next batch is claimed while the previous one is still being sent, so the pool
        # never idles between batches; at most two batches are in memory.
        total, inflight = 0, None
        try:
            for _ in range(max_rounds):
                if stop is not None and stop.is_set():
                    break
                now = now_of()
                rows = await self._claim(now)
                following = asyncio.create_task(self._process(rows, now)) if rows else None
                if inflight is not None:
                    total += await inflight
                inflight = following
                if following is None:
                    break
        finally:
            if inflight is not None:
                total += await inflight
        if self.journal is not None:
            self.journal.clear()  # every acceptance in it is committed now
        return total

    async def _claim(self, now: datetime) -> list[Any]:
        async with self.sessions() as s, s.begin():
            recovered = await log_db.recover_stale(s, now=now, lease=self.policy.lease)
            rows = await log_db.claim_due(s, now=now, limit=self.policy.batch)
        self.stats.recovered += recovered
        if self.metrics is not None:
            self.metrics.observe_recovered(recovered)
        return rows

    async def _process(self, rows: list[Any], now: datetime) -> int:
        claim = rows[0].claim
        async with self.sessions() as s:
            items = await repo.load_items(s, _item_keys(rows))
            confirmed = await repo.confirmed_among(s, {r.subscription_id for r in rows if r.subscription_id})
            suppressed = await repo.suppressed_among(s, {r.recipient for r in rows})
            pending = await _pending_subs(s, rows)
        done: asyncio.Queue[_Done | None] = asyncio.Queue()
        writer = asyncio.create_task(self._write(claim, done))
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
                    await self._deliver(row, now, items, confirmed, suppressed, pending, done,
                                        proceed=lambda: not broken)
                except Exception as exc:
                    broken.append(exc)
                    return

        try:
            await asyncio.gather(*(work() for _ in range(2 * self.pool.size)))
        finally:
            await done.put(None)
            await writer
        if broken:
            raise broken[0]
        return len(rows)

    async def _deliver(self, row: Any, now: datetime, items: dict, confirmed: set, suppressed: dict,
                       pending: set, done: asyncio.Queue, *,
                       proceed: Callable[[], bool] = lambda: True) -> None:
        def settle(state: str, error: str | None = None, **kw: Any) -> Any:
            return done.put(_Done(row, log_db.Settlement(row.id, state, error, **kw)))

        reason = suppressed.get(email_key(row.recipient))
        # A confirmation or a one-time link may go to an address that once clicked "stop all"
        # (the reader asked for it, or an administrator invited them), never to one that
        # hard-bounced: that address cannot receive mail at all.
        asked_for = row.kind == "confirmation" or row.kind in LINK_KINDS
        if reason and not (asked_for and reason == "unsubscribed"):
            return await settle("suppressed", f"address suppressed ({reason})")
        if row.kind in LINK_KINDS and expired(row.context or {}, now):
            return await settle("suppressed", "the link expired before it could be sent")
        if row.kind in SUBSCRIBER_KINDS or (row.subscription_id and row.kind != "confirmation"):
            if row.subscription_id not in confirmed:
                return await settle("suppressed", "subscription no longer confirmed")
        if row.kind == "confirmation" and row.subscription_id not in pending:
            return await settle("suppressed", "subscription no longer pending")
        context = dict(row.context or {})
        trace = context.pop(TRACE_KEY, None)  # how it was queued, not what it says
        try:
            msg = self.composer.compose(
                kind=row.kind, recipient=row.recipient, ref=row.ref, language=row.language,
                now=now, subscription_id=row.subscription_id, context=context,
                items=items, item_key=row.item_key)
            data = msg.data
        except Exception as exc:  # a bad template or item never gets better by retrying
            log.exception("cannot compose email %s", row.id)
            return await settle("failed", f"compose: {type(exc).__name__}: {exc}")
        mid = msg.message_id

        async def record() -> None:
            # The server said 250: on disk before this connection carries anything else.
            if self.journal is not None:
                return self.journal.record(row.id, row.claim, mid)
            recorded = asyncio.get_running_loop().create_future()
            await done.put(_Done(row, log_db.Settlement(row.id, "sent", message_id=mid), recorded))
            await recorded

        # The send continues the trace of the request or event that queued the email.
        with self.tracer.start_as_current_span(
                "smtp send", context=context_of(trace), kind=SpanKind.CLIENT,
                attributes={"innoportal.email.kind": row.kind,
                            "innoportal.email.attempt": row.attempts + 1}) as span:
            # `proceed` is asked again once a slot is held: recording may have broken meanwhile.
            result = await self.pool.send(self.envelope_from, row.recipient, data,
                                          accepted=record, proceed=proceed)
            span.set_attribute("innoportal.email.outcome", result.outcome)
        if result.outcome == "sent":
            if self.journal is not None:  # journaled: the database may learn it a little later
                return await settle("sent", message_id=mid)
            return None  # committed by record() already
        if result.outcome == "withheld":  # never sent: due again at once, same Message-ID
            return await settle("pending", _describe(result), message_id=mid, next_attempt_at=now)
        if result.outcome == "transient" and row.attempts < self.policy.max_attempts:
            delay = retry_delay(row.attempts, f"{row.id}", self.policy.base_delay, self.policy.max_delay)
            return await settle("pending", _describe(result), message_id=mid,
                                next_attempt_at=now + timedelta(seconds=delay))
        return await settle("failed", _describe(result), message_id=mid)

    async def _write(self, claim: str, done: asyncio.Queue) -> None:
        """Group commit: each transaction settles everything that finished while the previous one
        ran, then releases the connections waiting for it. Only when nobody waits (a journal has
        the acceptances) does it linger a few milliseconds to gather more."""
        finished, error = False, None
        while not finished:
            batch = [await done.get()]
            if self.journal is not None and batch[-1] is not None \
                    and done.qsize() < self.policy.group_size:
                await asyncio.sleep(self.policy.group_commit)
            while batch[-1] is not None and not done.empty():
                batch.append(done.get_nowait())
            finished = batch[-1] is None
            entries = [b for b in batch if b is not None]
            if not entries:
                continue
            try:
                await self._commit(claim, entries)
            except Exception as exc:  # database away: the waiting sends must not go on
                error = error or exc
                for e in entries:
                    if e.recorded is not None and not e.recorded.done():
                        e.recorded.set_exception(exc)
                continue
            for e in entries:
                if e.recorded is not None and not e.recorded.done():
                    e.recorded.set_result(None)
            self._count([(e.row, e.settlement) for e in entries])
        if error is not None:
            raise error

    async def _commit(self, claim: str, entries: list["_Done"]) -> None:
        now = self.clock()
        if all(e.settlement.state == "sent" and e.row.kind not in LINK_KINDS for e in entries):
            # The common case, acceptances alone: one statement on a bare connection.
            async with self.sessions.kw["bind"].begin() as conn:
                await log_db.settle_sent(conn, claim, [e.settlement for e in entries], now=now)
            return
        async with self.sessions() as s, s.begin():
            await log_db.settle(s, claim, [e.settlement for e in entries], now=now)
            await forget_links(s, [(e.row.id, e.row.context or {}) for e in entries
                                   if e.row.kind in LINK_KINDS and e.settlement.state != "pending"])
            for e in entries:
                st = e.settlement
                if st.state == "failed" and st.error and st.error.startswith("hard_bounce"):
                    await repo.suppress(s, e.row.recipient, "hard_bounce", st.error, now=now)

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


@dataclass
class _Done:
    """A finished attempt for the writer; `recorded` resolves once its commit is durable."""

    row: Any
    settlement: log_db.Settlement
    recorded: asyncio.Future | None = None


def _describe(result: SendResult) -> str:
    return f"{result.outcome}: {result.detail}"


def _item_keys(rows: list) -> set[str]:
    keys = {r.item_key for r in rows if r.item_key}
    for r in rows:
        keys.update(e["key"] for e in (r.context or {}).get("items", []))
    return keys


async def _pending_subs(session: Any, rows: list) -> set[str]:
    ids = {r.subscription_id for r in rows if r.kind == "confirmation" and r.subscription_id}
    out = set()
    for sid in ids:
        sub = await repo.get_subscription(session, sid)
        if sub is not None and sub.status == "pending":
            out.add(sid)
    return out
