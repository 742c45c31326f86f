"""Recipient lookup: which confirmed subscriptions an item or a report reaches, via the index."""

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import literal, union_all
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifier.domain import Candidate, Item, KeywordKey
from services.notifier.repository.sql import T_CAT, T_SUB, T_TERM, member


async def next_candidate_ids(
    session: AsyncSession, item: Item, *, after: str, limit: int
) -> list[str]:
    """The next `limit` subscription ids above `after` that the item's categories or terms hit.

    Each category and each term the index knows is read in id order from its own index range
    (LIMIT `limit`), and the smallest ids of their union win: a chunk costs the same at the start
    and at the end of a large fan-out, instead of sorting every remaining subscriber each time.
    """
    branches = [
        select(T_CAT.c.subscription_id.label("sid"))
        .where(T_CAT.c.category == category, T_CAT.c.subscription_id > after)
        .order_by(T_CAT.c.subscription_id).limit(limit).subquery()
        for category in sorted(item.categories)
    ]
    terms = item.lookup_terms()
    if terms:
        known = (await session.exec(select(T_TERM.c.term).distinct()
                                    .where(member(session, T_TERM.c.term, terms)))).all()
        branches += [
            select(T_TERM.c.subscription_id.label("sid"))
            .where(T_TERM.c.term == term, T_TERM.c.subscription_id > after)
            .order_by(T_TERM.c.subscription_id).limit(limit).subquery()
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
            T_CAT.c.subscription_id.label("sid"), literal("c").label("hit"),
            T_CAT.c.category.label("value"), literal("").label("units"),
        ).where(member(session, T_CAT.c.category, item.categories))
        branches.append(cat if ids is None else cat.where(member(session, T_CAT.c.subscription_id, ids)))
    terms = item.lookup_terms()
    if terms:
        term = select(
            T_TERM.c.subscription_id.label("sid"), literal("t").label("hit"),
            T_TERM.c.keyword.label("value"), T_TERM.c.units.label("units"),
        ).where(member(session, T_TERM.c.term, terms))
        branches.append(term if ids is None else term.where(member(session, T_TERM.c.subscription_id, ids)))
    if not branches or ids == []:
        return
    hits = union_all(*branches).subquery("hits")
    stmt = (
        select(T_SUB.c.id, T_SUB.c.email, T_SUB.c.language, T_SUB.c.frequency,
               hits.c.hit, hits.c.value, hits.c.units)
        .join(hits, hits.c.sid == T_SUB.c.id)
        .where(T_SUB.c.status == "confirmed")
        .order_by(T_SUB.c.id)
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
    stmt = (select(T_SUB.c.id, T_SUB.c.email, T_SUB.c.language)
            .where(T_SUB.c.receive_reports.is_(True), T_SUB.c.status == "confirmed",
                   T_SUB.c.id > after)
            .order_by(T_SUB.c.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    result = await session.stream(stmt)
    try:
        async for part in result.partitions(batch):
            yield [tuple(r) for r in part]
    finally:
        await result.close()
