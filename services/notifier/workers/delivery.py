"""One claimed email's attempt: may it still go, compose it, send it (its acceptance recorded
before the connection goes on), and what it came to (see workers/sender.py)."""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from opentelemetry.trace import SpanKind, Tracer
from sqlalchemy.ext.asyncio import async_sessionmaker

from innoportal.tracing import TRACE_KEY, context_of
from services.notifier import repository as repo
from services.notifier.adapters.journal import AcceptanceJournal
from services.notifier.adapters.smtp import SendResult, SmtpPool
from services.notifier.domain import Settlement, email_key, reason_to_withhold, retry_delay
from services.notifier.emails import Composed, Composer
from services.notifier.workers.recorder import Done

log = logging.getLogger("innoportal.notifier.sender")


@dataclass(frozen=True)
class Batch:
    """What a claimed batch's emails need to know beside their rows, read once per batch."""

    items: dict
    confirmed: set
    suppressed: dict
    pending: set


async def read_batch(sessions: async_sessionmaker, rows: list) -> Batch:
    """The items, confirmed and pending subscriptions and suppressed addresses of a batch."""
    async with sessions() as s:
        items = await repo.load_items(s, _item_keys(rows))
        confirmed = await repo.confirmed_among(
            s, {r.subscription_id for r in rows if r.subscription_id})
        suppressed = await repo.suppressed_among(s, {r.recipient for r in rows})
        pending = set()
        for sid in {r.subscription_id for r in rows if r.kind == "confirmation" and r.subscription_id}:
            sub = await repo.get_subscription(s, sid)
            if sub is not None and sub.status == "pending":
                pending.add(sid)
    return Batch(items, confirmed, suppressed, pending)


@dataclass(frozen=True)
class Delivery:
    """How the sender attempts one email: its composer, SMTP pool, journal and retry policy."""

    composer: Composer
    pool: SmtpPool
    journal: AcceptanceJournal | None
    tracer: Tracer
    envelope_from: str
    max_attempts: int
    base_delay: float
    max_delay: float

    async def deliver(self, row: Any, now: datetime, batch: Batch, done: asyncio.Queue, *,
                      proceed: Callable[[], bool] = lambda: True) -> None:
        """Attempt `row` and put its fate on `done` (an acceptance without a journal is recorded
        before the send returns)."""
        def settle(state: str, error: str | None = None, **kw: Any) -> Any:
            return done.put(Done(row, Settlement(row.id, state, error, **kw)))

        withheld = reason_to_withhold(
            row.kind, row.subscription_id, row.context or {},
            suppressed=batch.suppressed.get(email_key(row.recipient)),
            confirmed=row.subscription_id in batch.confirmed,
            pending=row.subscription_id in batch.pending, now=now)
        if withheld:
            return await settle("suppressed", withheld)
        context = dict(row.context or {})
        trace = context.pop(TRACE_KEY, None)  # how it was queued, not what it says
        try:
            msg = self._compose(row, now, context, batch.items)
        except Exception as exc:  # a bad template or item never gets better by retrying
            log.exception("cannot compose email %s", row.id)
            return await settle("failed", f"compose: {type(exc).__name__}: {exc}")
        result = await self._send(row, msg, trace, done, proceed)
        mid = msg.message_id
        if result.outcome == "sent":
            if self.journal is not None:  # journaled: the database may learn it a little later
                return await settle("sent", message_id=mid)
            return None  # committed by the recording already
        if result.outcome == "withheld":  # never sent: due again at once, same Message-ID
            return await settle("pending", _describe(result), message_id=mid, next_attempt_at=now)
        if result.outcome == "transient" and row.attempts < self.max_attempts:
            delay = retry_delay(row.attempts, f"{row.id}", self.base_delay, self.max_delay)
            return await settle("pending", _describe(result), message_id=mid,
                                next_attempt_at=now + timedelta(seconds=delay))
        return await settle("failed", _describe(result), message_id=mid)

    def _compose(self, row: Any, now: datetime, context: dict, items: dict) -> Composed:
        return self.composer.compose(
            kind=row.kind, recipient=row.recipient, ref=row.ref, language=row.language,
            now=now, subscription_id=row.subscription_id, context=context,
            items=items, item_key=row.item_key)

    async def _send(self, row: Any, msg: Composed, trace: Any, done: asyncio.Queue,
                    proceed: Callable[[], bool]) -> SendResult:
        """One SMTP transaction; its acceptance recorded before the connection goes on."""
        mid = msg.message_id

        async def record() -> None:
            # The server said 250: on disk before this connection carries anything else.
            if self.journal is not None:
                return self.journal.record(row.id, row.claim, mid)
            recorded = asyncio.get_running_loop().create_future()
            await done.put(Done(row, Settlement(row.id, "sent", message_id=mid), recorded))
            await recorded

        # The send continues the trace of the request or event that queued the email.
        with self.tracer.start_as_current_span(
                "smtp send", context=context_of(trace), kind=SpanKind.CLIENT,
                attributes={"innoportal.email.kind": row.kind,
                            "innoportal.email.attempt": row.attempts + 1}) as span:
            # `proceed` is asked again once a slot is held: recording may have broken meanwhile.
            result = await self.pool.send(self.envelope_from, row.recipient, msg.data,
                                          accepted=record, proceed=proceed)
            span.set_attribute("innoportal.email.outcome", result.outcome)
        return result


def _describe(result: SendResult) -> str:
    return f"{result.outcome}: {result.detail}"


def _item_keys(rows: list) -> set[str]:
    keys = {r.item_key for r in rows if r.item_key}
    for r in rows:
        keys.update(e["key"] for e in (r.context or {}).get("items", []))
    return keys
