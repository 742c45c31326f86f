"""Suppression: addresses never sent to again."""

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifier.domain import email_key
from services.notifier.repository.sql import T_SUPP, insert_ignore


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

