"""Subscriptions and their recipient index: sign-up, confirmation, rule changes and endings."""

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifier.domain import SubscriptionRules, email_key, keyword_key
from services.notifier.models import Subscription
from services.notifier.repository.email_outbox import suppress_subscription_emails
from services.notifier.repository.sql import T_CAT, T_DIGEST, T_SUB, T_SUPP, T_TERM, insert_ignore
from services.notifier.repository.suppression import suppress

LIVE = ("pending", "confirmed")  # a subscription that has not ended


def new_subscription_id() -> str:
    """A fresh, unguessable subscription id."""
    return "sub-" + uuid.uuid4().hex


async def _drop_index(session: AsyncSession, sub_id: str) -> None:
    """Remove a subscription's category and keyword index rows."""
    await session.exec(delete(T_CAT).where(T_CAT.c.subscription_id == sub_id))
    await session.exec(delete(T_TERM).where(T_TERM.c.subscription_id == sub_id))


async def _write_index(session: AsyncSession, sub_id: str, rules: SubscriptionRules) -> None:
    await _drop_index(session, sub_id)
    await insert_ignore(
        session, T_CAT, [{"category": c, "subscription_id": sub_id} for c in rules.categories]
    )
    keys = [k for k in map(keyword_key, rules.keywords) if k is not None]
    await insert_ignore(session, T_TERM, [
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
    if sub is None or sub.status not in LIVE:
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
        await session.exec(delete(T_SUPP).where(
            T_SUPP.c.email_key == sub.email_key, T_SUPP.c.reason == "unsubscribed"))
    return sub


async def update_subscription(
    session: AsyncSession, sub_id: str, rules: SubscriptionRules, *, now: datetime
) -> Subscription | None:
    """Change a subscription's rules (the address stays); None if it is gone."""
    sub = await session.get(Subscription, sub_id)
    if sub is None or sub.status not in LIVE:
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
    await _drop_index(session, sub.id)
    await session.exec(delete(T_DIGEST).where(
        T_DIGEST.c.subscription_id == sub.id, T_DIGEST.c.digest_ref.is_(None)))
    await suppress_subscription_emails(session, sub.id, f"subscription {status}", now=now)


async def unsubscribe(session: AsyncSession, sub_id: str, *, now: datetime) -> Subscription | None:
    """End a subscription at once (idempotent); None if there is no such subscription."""
    sub = await session.get(Subscription, sub_id)
    if sub is not None and sub.status in LIVE:
        await _end(session, sub, "unsubscribed", now)
    return sub


async def unsubscribe_address(session: AsyncSession, address: str, *, now: datetime) -> None:
    """A contact's one-click unsubscribe: suppress the address and end its subscriptions."""
    await suppress(session, address, "unsubscribed", None, now=now)
    for sub in await live_subscriptions(session, email_key(address)):
        await _end(session, sub, "unsubscribed", now)


async def live_subscriptions(session: AsyncSession, key: str) -> list[Subscription]:
    """The pending and confirmed subscriptions of an address (by email_key)."""
    return list((await session.exec(select(Subscription).where(
        Subscription.email_key == key,
        Subscription.status.in_(LIVE),  # type: ignore[attr-defined]
    ))).all())


async def recent_pending(session: AsyncSession, key: str, *, since: datetime) -> Subscription | None:
    """The newest pending subscription of an address (by email_key) created after `since`."""
    return (await session.exec(
        select(Subscription).where(
            Subscription.email_key == key, Subscription.status == "pending",
            Subscription.created_at > since,
        ).order_by(Subscription.created_at.desc()).limit(1)  # type: ignore[attr-defined]
    )).first()


async def languages_of(session: AsyncSession, addresses: Iterable[str]) -> dict[str, str]:
    """The language of each address's confirmed subscription, by email_key."""
    keys = {email_key(a) for a in addresses}
    if not keys:
        return {}
    rows = await session.exec(select(T_SUB.c.email_key, T_SUB.c.language).where(
        T_SUB.c.email_key.in_(keys), T_SUB.c.status == "confirmed"))
    return dict(rows.all())


async def purge_unconfirmed(session: AsyncSession, *, older_than: datetime) -> int:
    """Delete pending subscriptions created before `older_than` (their link has expired)."""
    ids = list((await session.exec(select(T_SUB.c.id).where(
        T_SUB.c.status == "pending", T_SUB.c.created_at < older_than))).all())
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        await session.exec(delete(T_CAT).where(T_CAT.c.subscription_id.in_(chunk)))
        await session.exec(delete(T_TERM).where(T_TERM.c.subscription_id.in_(chunk)))
        await session.exec(delete(T_SUB).where(T_SUB.c.id.in_(chunk)))
    return len(ids)


async def confirmed_among(session: AsyncSession, sub_ids: Iterable[str]) -> set[str]:
    """The ids among `sub_ids` whose subscription is confirmed now."""
    ids = set(sub_ids)
    if not ids:
        return set()
    rows = await session.exec(select(T_SUB.c.id).where(
        T_SUB.c.id.in_(ids), T_SUB.c.status == "confirmed"))
    return set(rows.all())


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    """How many subscriptions are in each status (for metrics)."""
    rows = await session.exec(select(T_SUB.c.status, func.count()).group_by(T_SUB.c.status))
    return {status: n for status, n in rows.all()}
