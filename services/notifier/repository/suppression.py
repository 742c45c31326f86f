"""Suppression: addresses never sent to again, and queued alerts that must not go out."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifier.domain import email_key
from services.notifier.repository.sql import T_OUT, T_SUPP, insert_ignore


async def suppress(
    session: AsyncSession, address: str, reason: str, detail: str | None, *, now: datetime
) -> None:
    """Never send to `address` again (hard_bounce, unsubscribed); the first reason is kept."""
    await insert_ignore(session, T_SUPP, [{
        "email_key": email_key(address), "reason": reason,
        "detail": (detail or "")[:500] or None, "created_at": now,
    }])


async def suppressed_among(session: AsyncSession, addresses: Iterable[str]) -> dict[str, str]:
    """The suppressed email_keys among `addresses`, with the reason (hard_bounce, unsubscribed)."""
    keys = {email_key(a) for a in addresses}
    if not keys:
        return {}
    rows = await session.exec(select(T_SUPP.c.email_key, T_SUPP.c.reason).where(
        T_SUPP.c.email_key.in_(keys)))
    return dict(rows.all())


async def suppress_pending_alerts(session: AsyncSession, item_key: str, reason: str, *, now: datetime) -> int:
    """Queued (not yet sending) alerts about an item stop; how many."""
    result = await session.exec(update(T_OUT).where(
        T_OUT.c.item_key == item_key, T_OUT.c.state == "pending", T_OUT.c.kind == "wish_alert",
    ).values(state="suppressed", last_error=reason, updated_at=now))
    return max(result.rowcount or 0, 0)
