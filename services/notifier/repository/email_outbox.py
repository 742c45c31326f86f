"""The email outbox, which is also the delivery log: the one module that writes it (enqueue,
claim, settle, recover, withdraw, forget a link), in the caller's transaction."""

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, bindparam, func, update
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from innoportal.retention import PruneRule
from innoportal.tracing import TRACE_KEY, current_traceparent
from innoportal.wake import on_commit, remove_waker, wake_after_commit
from services.notifier.domain import SETTLED, OutgoingEmail, Settlement, email_key
from services.notifier.repository.sql import T_OUT, insert_ignore

_T: Table = T_OUT
# Commits that queued emails wake the sender at once (innoportal.wake channels).
EMAIL_CHANNEL = "notifier.email"


def on_email_commit(callback: Callable[[], None]) -> None:
    """Call `callback()` after any commit that queued emails (wakes the sender at once)."""
    on_commit(EMAIL_CHANNEL, callback)


def remove_email_waker(callback: Callable[[], None]) -> None:
    """Forget a callback registered with on_email_commit."""
    remove_waker(EMAIL_CHANNEL, callback)


async def enqueue_emails(session: AsyncSession, emails: Sequence[OutgoingEmail], *, now: datetime) -> int:
    """Queue emails in the caller's transaction; one already queued (same key) is skipped."""
    if emails:
        wake_after_commit(session, EMAIL_CHANNEL)
    # Each email keeps the trace that queued it: its SMTP send continues that trace.
    trace = {TRACE_KEY: tp} if (tp := current_traceparent()) else {}
    return await insert_ignore(session, _T, [{
        "recipient": e.recipient, "recipient_key": email_key(e.recipient), "ref": e.ref,
        "kind": e.kind, "language": e.language, "subscription_id": e.subscription_id,
        "item_key": e.item_key, "context": {**e.context, **trace}, "message_id": "",
        "state": "pending",
        "attempts": 0, "next_attempt_at": now, "created_at": now, "updated_at": now,
    } for e in emails])


async def claim_due(session: AsyncSession, *, now: datetime, limit: int) -> list[Any]:
    """Mark up to `limit` due pending emails 'sending' under a fresh claim and return them.

    The caller commits at once, before talking to the SMTP server: a crash from here on leaves
    the row 'sending', which recover_stale() turns back into 'pending' after the lease.
    """
    claim = uuid.uuid4().hex
    due = select(_T.c.id).where(_T.c.state == "pending", _T.c.next_attempt_at <= now) \
        .order_by(_T.c.next_attempt_at, _T.c.id).limit(limit)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)  # several senders never take the same row
    stmt = (
        update(_T).where(_T.c.id.in_(due.scalar_subquery()), _T.c.state == "pending")
        .values(state="sending", claim=claim, claimed_at=now, attempts=_T.c.attempts + 1,
                updated_at=now)
        .returning(*_T.c)
    )
    rows = (await session.exec(stmt)).all()
    return sorted(rows, key=lambda r: r.id)


async def recover_stale(session: AsyncSession, *, now: datetime, lease: timedelta,
                        claims: Sequence[str] | None = None) -> int:
    """Put back 'sending' rows whose sender died: claimed longer ago than `lease`, or, when
    `claims` is given, under one of those claims (a dead sender's own, whatever their age); how
    many."""
    where = [_T.c.state == "sending"]
    if claims is None:
        where.append(_T.c.claimed_at < now - lease)
    else:
        where.append(_T.c.claim.in_(list(claims)))
    result = await session.exec(
        update(_T).where(*where)
        .values(state="pending", claim=None, next_attempt_at=now, updated_at=now,
                last_error="sender stopped mid-send; resent with the same Message-ID")
    )
    return max(result.rowcount or 0, 0)


# Built once: recording acceptances is the sender's hottest statement (one per few emails).
_SENT = (update(_T).where(_T.c.id == bindparam("b_id"), _T.c.claim == bindparam("b_claim"))
         .values(state="sent", sent_at=bindparam("b_now"), updated_at=bindparam("b_now"),
                 message_id=bindparam("b_mid")))


def _sent_params(claim: str, sent: Sequence[Settlement], now: datetime) -> list[dict[str, Any]]:
    return [{"b_id": r.id, "b_mid": r.message_id or "", "b_claim": claim, "b_now": now}
            for r in sent]


async def settle_sent(conn: AsyncConnection, claim: str, sent: Sequence[Settlement], *,
                      now: datetime) -> None:
    """Record acceptances (every `sent` is state 'sent') on a bare connection in the caller's
    transaction: the lean path of settle(), a few times cheaper than a session."""
    await conn.execute(_SENT, _sent_params(claim, sent, now))


async def apply_journal(session: AsyncSession, entries: Sequence[tuple[int, str, str]], *,
                        now: datetime) -> int:
    """Mark 'sent' the rows an acceptance journal names (id, claim, Message-ID) that are still
    'sending' under that claim: accepted by the SMTP server before the process died. Call it
    before recover_stale(); how many rows it marked."""
    if not entries:
        return 0
    result = await session.exec(
        update(_T).where(_T.c.id == bindparam("b_id"), _T.c.claim == bindparam("b_claim"),
                         _T.c.state == "sending")
        .values(state="sent", sent_at=now, updated_at=now, message_id=bindparam("b_mid")),
        params=[{"b_id": i, "b_claim": c, "b_mid": m} for i, c, m in entries])
    return max(result.rowcount or 0, 0)


async def settle(session: AsyncSession, claim: str, results: Sequence[Settlement], *, now: datetime) -> None:
    """Record attempts' outcomes; only rows still held by `claim` change (a late sender cannot)."""
    sent = [r for r in results if r.state == "sent"]
    if sent:
        await session.exec(_SENT, params=_sent_params(claim, sent, now))
    for r in results:
        if r.state == "sent":
            continue
        values: dict[str, Any] = {"state": r.state, "last_error": (r.error or "")[:500] or None,
                                  "updated_at": now, "claim": None}
        if r.next_attempt_at is not None:
            values["next_attempt_at"] = r.next_attempt_at
        if r.message_id:
            values["message_id"] = r.message_id
        await session.exec(update(_T).where(_T.c.id == r.id, _T.c.claim == claim).values(**values))


async def forget_links(session: AsyncSession, rows: list[tuple[int, Mapping[str, Any]]]) -> None:
    """Drop the link from settled link emails (id, context): no credential outlives its email.

    Only rows no longer pending or sending change: one still to be (re)sent keeps its link.
    """
    for row_id, context in rows:
        await session.exec(update(_T).where(  # type: ignore[call-overload]
            _T.c.id == row_id, _T.c.state.in_(SETTLED),
        ).values(context={**context, "link_url": None}))


async def suppress_subscription_emails(session: AsyncSession, sub_id: str, reason: str, *,
                                       now: datetime) -> None:
    """A subscription ended: its queued alerts and digests stop at once (the sender re-checks
    the rows it already holds)."""
    await session.exec(update(_T).where(
        _T.c.subscription_id == sub_id, _T.c.state == "pending",
        _T.c.kind.in_(("wish_alert", "digest")),
    ).values(state="suppressed", last_error=reason, updated_at=now))


async def suppress_item_alerts(session: AsyncSession, item_key: str, reason: str, *,
                               now: datetime) -> int:
    """Queued (not yet sending) alerts about an item stop; how many."""
    result = await session.exec(update(_T).where(
        _T.c.item_key == item_key, _T.c.state == "pending", _T.c.kind == "wish_alert",
    ).values(state="suppressed", last_error=reason, updated_at=now))
    return max(result.rowcount or 0, 0)


async def deliveries(session: AsyncSession, *, recipient: str | None = None, ref: str | None = None) -> list[Any]:
    """The delivery log, optionally for one recipient and/or one ref, oldest first."""
    stmt = sa_select(_T)
    if recipient is not None:
        stmt = stmt.where(_T.c.recipient_key == email_key(recipient))
    if ref is not None:
        stmt = stmt.where(_T.c.ref == ref)
    return list((await session.exec(stmt.order_by(_T.c.id))).all())


def settled_emails_rule(keep: timedelta) -> PruneRule:
    """Emails settled for good (sent, failed, suppressed) more than `keep` ago: the delivery log
    keeps them for support questions. Pending and sending rows are never pruned; the condition on
    next_attempt_at (never later than a settled row's last attempt but for one suppressed while
    waiting to retry, which then goes at most a retry delay later) lets the (state,
    next_attempt_at) index find them."""
    return PruneRule(_T, keep, lambda cutoff: and_(
        _T.c.state.in_(SETTLED), _T.c.next_attempt_at < cutoff, _T.c.updated_at < cutoff))


async def count_by_state(session: AsyncSession) -> dict[str, int]:
    """How many emails are in each state (for metrics)."""
    rows = await session.exec(select(_T.c.state, func.count()).group_by(_T.c.state))
    return {state: n for state, n in rows.all()}
