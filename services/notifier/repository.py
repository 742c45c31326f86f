"""Queries of the notifier; every function works inside the caller's transaction."""

import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, Table, and_, any_, bindparam, delete, literal, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import ARRAY
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifier.domain import (
    Candidate,
    Item,
    KeywordKey,
    SubscriptionRules,
    email_key,
    keyword_key,
)
from services.notifier.models import (
    DigestEntry,
    EmailOutbox,
    EmailSuppression,
    NotificationItem,
    Subscription,
    SubscriptionCategory,
    SubscriptionTerm,
)

_T_SUB: Table = Subscription.__table__  # type: ignore[assignment]
_T_CAT: Table = SubscriptionCategory.__table__  # type: ignore[assignment]
_T_TERM: Table = SubscriptionTerm.__table__  # type: ignore[assignment]
_T_ITEM: Table = NotificationItem.__table__  # type: ignore[assignment]
_T_DIGEST: Table = DigestEntry.__table__  # type: ignore[assignment]
_T_OUT: Table = EmailOutbox.__table__  # type: ignore[assignment]
_T_SUPP: Table = EmailSuppression.__table__  # type: ignore[assignment]


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def _member(session: AsyncSession, column: Any, values: Iterable[str]) -> Any:
    """`column IN values`; one array parameter on PostgreSQL, so long term lists stay cheap."""
    values = sorted(set(values))
    if _dialect(session) == "postgresql":
        return column == any_(bindparam("vals", values, type_=ARRAY(String), unique=True))
    return column.in_(values)


async def insert_ignore(session: AsyncSession, table: Table, rows: Sequence[dict]) -> int:
    """Insert `rows`, skipping any that collide with an existing key; the number inserted."""
    if not rows:
        return 0
    insert = postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert
    # RETURNING counts what was really inserted: executemany's rowcount is not reliable on
    # every driver (asyncpg reports none), and skipped duplicates must not count.
    key = list(table.primary_key.columns)[0]
    stmt = insert(table).on_conflict_do_nothing().returning(key)
    result = await session.exec(stmt, params=list(rows))
    return len(result.all())


# Subscriptions --------------------------------------------------------------------------------


def new_subscription_id() -> str:
    """A fresh, unguessable subscription id."""
    return "sub-" + uuid.uuid4().hex


async def _write_index(session: AsyncSession, sub_id: str, rules: SubscriptionRules) -> None:
    await session.exec(delete(_T_CAT).where(_T_CAT.c.subscription_id == sub_id))
    await session.exec(delete(_T_TERM).where(_T_TERM.c.subscription_id == sub_id))
    await insert_ignore(
        session, _T_CAT, [{"category": c, "subscription_id": sub_id} for c in rules.categories]
    )
    keys = [k for k in map(keyword_key, rules.keywords) if k is not None]
    await insert_ignore(session, _T_TERM, [
        {"term": k.anchor, "subscription_id": sub_id, "keyword": k.keyword, "units": " ".join(k.units)}
        for k in keys
    ])


async def add_subscription(session: AsyncSession, rules: SubscriptionRules, *, now: datetime) -> Subscription:
    """A new pending subscription with its index rows (nothing is sent to it but a confirmation)."""
    sub = Subscription(
        id=new_subscription_id(), email=rules.email, email_key=email_key(rules.email),
        language=rules.language, frequency=rules.frequency, receive_reports=rules.receive_reports,
        categories=list(rules.categories), keywords=list(rules.keywords), status="pending",
        created_at=now,
    )
    session.add(sub)
    await session.flush()
    await _write_index(session, sub.id, rules)
    return sub


async def get_subscription(session: AsyncSession, sub_id: str) -> Subscription | None:
    """The subscription with this id, if any."""
    return await session.get(Subscription, sub_id)


async def confirm_subscription(session: AsyncSession, sub_id: str, *, now: datetime) -> Subscription | None:
    """Confirm a pending subscription (idempotent); it replaces the address's older one."""
    sub = await session.get(Subscription, sub_id)
    if sub is None or sub.status not in ("pending", "confirmed"):
        return sub
    if sub.status == "pending":
        older = (await session.exec(select(Subscription).where(
            Subscription.email_key == sub.email_key, Subscription.status == "confirmed",
            Subscription.id != sub.id,
        ))).all()
        for old in older:
            await _end(session, old, "replaced", now)
        sub.status, sub.confirmed_at = "confirmed", now
        session.add(sub)
        # Confirming is a fresh opt-in: an earlier "stop all emails" no longer applies.
        await session.exec(delete(_T_SUPP).where(
            _T_SUPP.c.email_key == sub.email_key, _T_SUPP.c.reason == "unsubscribed"))
    return sub


async def update_subscription(
    session: AsyncSession, sub_id: str, rules: SubscriptionRules, *, now: datetime
) -> Subscription | None:
    """Change a subscription's rules (the address stays); None if it is gone."""
    sub = await session.get(Subscription, sub_id)
    if sub is None or sub.status not in ("pending", "confirmed"):
        return None
    sub.language, sub.frequency, sub.receive_reports = rules.language, rules.frequency, rules.receive_reports
    sub.categories, sub.keywords = list(rules.categories), list(rules.keywords)
    session.add(sub)
    await _write_index(session, sub.id, rules)
    return sub


async def _end(session: AsyncSession, sub: Subscription, status: str, now: datetime) -> None:
    sub.status, sub.ended_at = status, now
    session.add(sub)
    await session.flush()
    await session.exec(delete(_T_CAT).where(_T_CAT.c.subscription_id == sub.id))
    await session.exec(delete(_T_TERM).where(_T_TERM.c.subscription_id == sub.id))
    await session.exec(delete(_T_DIGEST).where(
        _T_DIGEST.c.subscription_id == sub.id, _T_DIGEST.c.digest_ref.is_(None)))
    # Queued alerts and digests stop at once; the sender re-checks too, for rows it holds.
    await session.exec(update(_T_OUT).where(
        _T_OUT.c.subscription_id == sub.id, _T_OUT.c.state == "pending",
        _T_OUT.c.kind.in_(("wish_alert", "digest")),
    ).values(state="suppressed", last_error=f"subscription {status}", updated_at=now))


async def unsubscribe(session: AsyncSession, sub_id: str, *, now: datetime) -> Subscription | None:
    """End a subscription at once (idempotent); None if there is no such subscription."""
    sub = await session.get(Subscription, sub_id)
    if sub is not None and sub.status in ("pending", "confirmed"):
        await _end(session, sub, "unsubscribed", now)
    return sub


async def unsubscribe_address(session: AsyncSession, address: str, *, now: datetime) -> None:
    """A contact's one-click unsubscribe: suppress the address and end its subscriptions."""
    await suppress(session, address, "unsubscribed", None, now=now)
    subs = (await session.exec(select(Subscription).where(
        Subscription.email_key == email_key(address),
        Subscription.status.in_(("pending", "confirmed")),  # type: ignore[attr-defined]
    ))).all()
    for sub in subs:
        await _end(session, sub, "unsubscribed", now)


async def languages_of(session: AsyncSession, addresses: Iterable[str]) -> dict[str, str]:
    """The language of each address's confirmed subscription, by email_key."""
    keys = {email_key(a) for a in addresses}
    if not keys:
        return {}
    rows = await session.exec(select(_T_SUB.c.email_key, _T_SUB.c.language).where(
        _T_SUB.c.email_key.in_(keys), _T_SUB.c.status == "confirmed"))
    return dict(rows.all())


# Recipient lookup -------------------------------------------------------------------------------


async def next_candidate_ids(
    session: AsyncSession, item: Item, *, after: str, limit: int
) -> list[str]:
    """The next `limit` subscription ids above `after` that the item's categories or terms hit.

    Each category and each term the index knows is read in id order from its own index range
    (LIMIT `limit`), and the smallest ids of their union win: a chunk costs the same at the start
    and at the end of a large fan-out, instead of sorting every remaining subscriber each time.
    """
    branches = [
        select(_T_CAT.c.subscription_id.label("sid"))
        .where(_T_CAT.c.category == category, _T_CAT.c.subscription_id > after)
        .order_by(_T_CAT.c.subscription_id).limit(limit).subquery()
        for category in sorted(item.categories)
    ]
    terms = item.lookup_terms()
    if terms:
        known = (await session.exec(select(_T_TERM.c.term).distinct()
                                    .where(_member(session, _T_TERM.c.term, terms)))).all()
        branches += [
            select(_T_TERM.c.subscription_id.label("sid"))
            .where(_T_TERM.c.term == term, _T_TERM.c.subscription_id > after)
            .order_by(_T_TERM.c.subscription_id).limit(limit).subquery()
            for term in sorted(known)
        ]
    ids: set[str] = set()
    for start in range(0, len(branches), 100):  # bounded statement size
        part = [select(b.c.sid) for b in branches[start : start + 100]]
        rows = await session.exec(union_all(*part) if len(part) > 1 else part[0])
        ids.update(row if isinstance(row, str) else row[0] for row in rows.all())
    return sorted(ids)[:limit]


async def stream_candidates(
    session: AsyncSession, item: Item, *, batch: int = 1000, ids: Sequence[str] | None = None,
) -> AsyncIterator[list[Candidate]]:
    """Confirmed subscriptions hit by the item's categories or terms, via the index, in batches
    (only those among `ids` when given: one chunk of a fan-out).

    One query ordered by subscription id streams (category or keyword hit, subscription) rows,
    so memory is bounded by `batch`, never by the number of subscribers.
    """
    branches = []
    if item.categories:
        cat = select(
            _T_CAT.c.subscription_id.label("sid"), literal("c").label("hit"),
            _T_CAT.c.category.label("value"), literal("").label("units"),
        ).where(_member(session, _T_CAT.c.category, item.categories))
        branches.append(cat if ids is None else cat.where(_member(session, _T_CAT.c.subscription_id, ids)))
    terms = item.lookup_terms()
    if terms:
        term = select(
            _T_TERM.c.subscription_id.label("sid"), literal("t").label("hit"),
            _T_TERM.c.keyword.label("value"), _T_TERM.c.units.label("units"),
        ).where(_member(session, _T_TERM.c.term, terms))
        branches.append(term if ids is None else term.where(_member(session, _T_TERM.c.subscription_id, ids)))
    if not branches or ids == []:
        return
    hits = union_all(*branches).subquery("hits")
    stmt = (
        select(_T_SUB.c.id, _T_SUB.c.email, _T_SUB.c.language, _T_SUB.c.frequency,
               hits.c.hit, hits.c.value, hits.c.units)
        .join(hits, hits.c.sid == _T_SUB.c.id)
        .where(_T_SUB.c.status == "confirmed")
        .order_by(_T_SUB.c.id)
    )
    result = await session.stream(stmt)
    out: list[Candidate] = []
    current: list[Any] | None = None  # [id, email, language, frequency, cats, keys]
    try:
        # By partition, not by row: each step of an async result costs a greenlet switch.
        async for part in result.partitions(500):
            for sid, address, language, frequency, hit, value, units in part:
                if current is None or current[0] != sid:
                    if current is not None:
                        out.append(_candidate(current))
                    current = [sid, address, language, frequency, set(), []]
                if hit == "c":
                    current[4].add(value)
                else:
                    current[5].append(KeywordKey(value, tuple(units.split(" ")), ""))
            if len(out) >= batch:
                yield out
                out = []
    finally:
        await result.close()
    if current is not None:
        out.append(_candidate(current))
    if out:
        yield out


def _candidate(c: list[Any]) -> Candidate:
    return Candidate(c[0], c[1], c[2], c[3], frozenset(c[4]), tuple(c[5]))


async def stream_report_subscribers(
    session: AsyncSession, *, batch: int = 1000, after: str = "", limit: int | None = None
) -> AsyncIterator[list[tuple[str, str, str]]]:
    """(subscription id, email, language) of confirmed subscribers of trial reports, in batches.

    `after` and `limit` take one chunk of a fan-out, by subscription id.
    """
    stmt = (select(_T_SUB.c.id, _T_SUB.c.email, _T_SUB.c.language)
            .where(_T_SUB.c.receive_reports.is_(True), _T_SUB.c.status == "confirmed",
                   _T_SUB.c.id > after)
            .order_by(_T_SUB.c.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    result = await session.stream(stmt)
    try:
        async for part in result.partitions(batch):
            yield [tuple(r) for r in part]
    finally:
        await result.close()


# Items and digests ------------------------------------------------------------------------------


async def save_item(
    session: AsyncSession, key: str, kind: str, context: dict[str, Any], *, now: datetime
) -> None:
    """Store what an email is about once (the first version wins: alerts never change later)."""
    await insert_ignore(session, _T_ITEM, [
        {"key": key, "kind": kind, "context": context, "created_at": now}])


async def close_item(session: AsyncSession, key: str, kind: str, *, now: datetime) -> None:
    """Mark an item closed (stored first if its own event has not come yet)."""
    await insert_ignore(session, _T_ITEM, [
        {"key": key, "kind": kind, "context": {}, "created_at": now, "closed_at": now}])
    await session.exec(update(_T_ITEM).where(_T_ITEM.c.key == key, _T_ITEM.c.closed_at.is_(None))
                       .values(closed_at=now))


async def is_closed(session: AsyncSession, key: str) -> bool:
    """Whether the item was closed (no alert is queued for it any more)."""
    closed = (await session.exec(select(_T_ITEM.c.closed_at).where(_T_ITEM.c.key == key))).first()
    return closed is not None


async def load_items(session: AsyncSession, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The stored context of each item key."""
    keys = set(keys)
    if not keys:
        return {}
    rows = await session.exec(select(_T_ITEM.c.key, _T_ITEM.c.context).where(_T_ITEM.c.key.in_(keys)))
    return dict(rows.all())


async def add_digest_entries(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Queue items for digests; an item is queued once per subscription."""
    return await insert_ignore(session, _T_DIGEST, rows)


async def open_digest_subscribers(
    session: AsyncSession, frequency: str, before: datetime, *, after: str = "", limit: int = 500
) -> list[tuple[str, str, str]]:
    """(id, email, language) of confirmed `frequency` subscribers with items queued before `before`."""
    stmt = (
        select(_T_SUB.c.id, _T_SUB.c.email, _T_SUB.c.language)
        .where(_T_SUB.c.id.in_(
            select(_T_DIGEST.c.subscription_id).where(
                _T_DIGEST.c.digest_ref.is_(None), _T_DIGEST.c.created_at < before,
                _T_DIGEST.c.subscription_id > after,
            )
        ), _T_SUB.c.frequency == frequency, _T_SUB.c.status == "confirmed", _T_SUB.c.id > after)
        .order_by(_T_SUB.c.id).limit(limit)
    )
    return [tuple(r) for r in (await session.exec(stmt)).all()]


async def take_digest_entries(
    session: AsyncSession, sub_ids: Sequence[str], before: datetime, digest_ref: str
) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Mark the queued entries of these subscriptions as in digest `digest_ref`; return them."""
    if not sub_ids:
        return {}
    open_ = and_(_T_DIGEST.c.subscription_id.in_(sub_ids), _T_DIGEST.c.digest_ref.is_(None),
                 _T_DIGEST.c.created_at < before)
    rows = (await session.exec(
        select(_T_DIGEST.c.subscription_id, _T_DIGEST.c.item_key, _T_DIGEST.c.reasons)
        .where(open_).order_by(_T_DIGEST.c.subscription_id, _T_DIGEST.c.created_at)
    )).all()
    await session.exec(update(_T_DIGEST).where(open_).values(digest_ref=digest_ref))
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for sid, key, reasons in rows:
        out.setdefault(sid, []).append((key, reasons))
    return out


# Suppression ------------------------------------------------------------------------------------


async def suppress(
    session: AsyncSession, address: str, reason: str, detail: str | None, *, now: datetime
) -> None:
    """Never send to `address` again (hard_bounce, unsubscribed); the first reason is kept."""
    await insert_ignore(session, _T_SUPP, [{
        "email_key": email_key(address), "reason": reason,
        "detail": (detail or "")[:500] or None, "created_at": now,
    }])


async def suppressed_among(session: AsyncSession, addresses: Iterable[str]) -> dict[str, str]:
    """The suppressed email_keys among `addresses`, with the reason (hard_bounce, unsubscribed)."""
    keys = {email_key(a) for a in addresses}
    if not keys:
        return {}
    rows = await session.exec(select(_T_SUPP.c.email_key, _T_SUPP.c.reason).where(
        _T_SUPP.c.email_key.in_(keys)))
    return dict(rows.all())


async def purge_unconfirmed(session: AsyncSession, *, older_than: datetime) -> int:
    """Delete pending subscriptions created before `older_than` (their link has expired)."""
    ids = list((await session.exec(select(_T_SUB.c.id).where(
        _T_SUB.c.status == "pending", _T_SUB.c.created_at < older_than))).all())
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        await session.exec(delete(_T_CAT).where(_T_CAT.c.subscription_id.in_(chunk)))
        await session.exec(delete(_T_TERM).where(_T_TERM.c.subscription_id.in_(chunk)))
        await session.exec(delete(_T_SUB).where(_T_SUB.c.id.in_(chunk)))
    return len(ids)


async def confirmed_among(session: AsyncSession, sub_ids: Iterable[str]) -> set[str]:
    """The ids among `sub_ids` whose subscription is confirmed now."""
    ids = set(sub_ids)
    if not ids:
        return set()
    rows = await session.exec(select(_T_SUB.c.id).where(
        _T_SUB.c.id.in_(ids), _T_SUB.c.status == "confirmed"))
    return set(rows.all())


async def drop_open_digest_entries(session: AsyncSession, item_key: str) -> int:
    """Remove an item from every digest not yet queued; how many entries."""
    result = await session.exec(delete(_T_DIGEST).where(
        _T_DIGEST.c.item_key == item_key, _T_DIGEST.c.digest_ref.is_(None)))
    return max(result.rowcount or 0, 0)


async def suppress_pending_alerts(session: AsyncSession, item_key: str, reason: str, *, now: datetime) -> int:
    """Queued (not yet sending) alerts about an item stop; how many."""
    result = await session.exec(update(_T_OUT).where(
        _T_OUT.c.item_key == item_key, _T_OUT.c.state == "pending", _T_OUT.c.kind == "wish_alert",
    ).values(state="suppressed", last_error=reason, updated_at=now))
    return max(result.rowcount or 0, 0)
