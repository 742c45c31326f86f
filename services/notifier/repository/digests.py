"""Items (what an email is about) and the digest entries queued for subscribers."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifier.repository.sql import T_DIGEST, T_ITEM, T_SUB, insert_ignore


async def save_item(
    session: AsyncSession, key: str, kind: str, context: dict[str, Any], *, now: datetime
) -> None:
    """Store what an email is about once (the first version wins: alerts never change later)."""
    await insert_ignore(session, T_ITEM, [
        {"key": key, "kind": kind, "context": context, "created_at": now}])


async def close_item(session: AsyncSession, key: str, kind: str, *, now: datetime) -> None:
    """Mark an item closed (stored first if its own event has not come yet)."""
    await insert_ignore(session, T_ITEM, [
        {"key": key, "kind": kind, "context": {}, "created_at": now, "closed_at": now}])
    await session.exec(update(T_ITEM).where(T_ITEM.c.key == key, T_ITEM.c.closed_at.is_(None))
                       .values(closed_at=now))


async def is_closed(session: AsyncSession, key: str) -> bool:
    """Whether the item was closed (no alert is queued for it any more)."""
    closed = (await session.exec(select(T_ITEM.c.closed_at).where(T_ITEM.c.key == key))).first()
    return closed is not None


async def load_items(session: AsyncSession, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The stored context of each item key."""
    keys = set(keys)
    if not keys:
        return {}
    rows = await session.exec(select(T_ITEM.c.key, T_ITEM.c.context).where(T_ITEM.c.key.in_(keys)))
    return dict(rows.all())


async def add_digest_entries(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Queue items for digests; an item is queued once per subscription."""
    return await insert_ignore(session, T_DIGEST, rows)


async def open_digest_subscribers(
    session: AsyncSession, frequency: str, before: datetime, *, after: str = "", limit: int = 500
) -> list[tuple[str, str, str]]:
    """(id, email, language) of confirmed `frequency` subscribers with items queued before `before`."""
    stmt = (
        select(T_SUB.c.id, T_SUB.c.email, T_SUB.c.language)
        .where(T_SUB.c.id.in_(
            select(T_DIGEST.c.subscription_id).where(
                T_DIGEST.c.digest_ref.is_(None), T_DIGEST.c.created_at < before,
                T_DIGEST.c.subscription_id > after,
            )
        ), T_SUB.c.frequency == frequency, T_SUB.c.status == "confirmed", T_SUB.c.id > after)
        .order_by(T_SUB.c.id).limit(limit)
    )
    return [tuple(r) for r in (await session.exec(stmt)).all()]


async def take_digest_entries(
    session: AsyncSession, sub_ids: Sequence[str], before: datetime, digest_ref: str
) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Mark the queued entries of these subscriptions as in digest `digest_ref`; return them."""
    if not sub_ids:
        return {}
    open_ = and_(T_DIGEST.c.subscription_id.in_(sub_ids), T_DIGEST.c.digest_ref.is_(None),
                 T_DIGEST.c.created_at < before)
    rows = (await session.exec(
        select(T_DIGEST.c.subscription_id, T_DIGEST.c.item_key, T_DIGEST.c.reasons)
        .where(open_).order_by(T_DIGEST.c.subscription_id, T_DIGEST.c.created_at)
    )).all()
    await session.exec(update(T_DIGEST).where(open_).values(digest_ref=digest_ref))
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for sid, key, reasons in rows:
        out.setdefault(sid, []).append((key, reasons))
    return out


async def drop_open_digest_entries(session: AsyncSession, item_key: str) -> int:
    """Remove an item from every digest not yet queued; how many entries."""
    result = await session.exec(delete(T_DIGEST).where(
        T_DIGEST.c.item_key == item_key, T_DIGEST.c.digest_ref.is_(None)))
    return max(result.rowcount or 0, 0)
