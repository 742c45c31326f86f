"""Subscribing, confirming, managing and unsubscribing: what the HTTP endpoints call."""

from datetime import datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifier import repository as repo
from services.notifier.delivery_log import OutgoingEmail, enqueue_emails
from services.notifier.domain import (
    FieldError,
    SubscriptionInvalid,
    SubscriptionRules,
    TokenInvalid,
    email_key,
    verify_token,
)
from services.notifier.models import Subscription

# A second request for the same address within this time updates the pending subscription
# instead of sending another confirmation: nobody can flood an inbox through the form.
RESEND_AFTER = timedelta(minutes=15)


def confirmation_email(sub: Subscription) -> OutgoingEmail:
    """The confirmation email of a pending subscription (one per subscription)."""
    return OutgoingEmail(
        sub.email, f"subscription:{sub.id}", "confirmation", sub.language, sub.id, None,
        {"subscription_id": sub.id, "categories": list(sub.categories),
         "keywords": list(sub.keywords), "frequency": sub.frequency,
         "receive_reports": sub.receive_reports},
    )


async def request_subscription(
    session: AsyncSession, rules: SubscriptionRules, *, now: datetime
) -> tuple[Subscription, bool]:
    """A pending subscription and whether a confirmation email was queued for it."""
    recent = (await session.exec(
        select(Subscription).where(
            Subscription.email_key == email_key(rules.email), Subscription.status == "pending",
            Subscription.created_at > now - RESEND_AFTER,
        ).order_by(Subscription.created_at.desc()).limit(1)  # type: ignore[attr-defined]
    )).first()
    if recent is not None:
        await repo.update_subscription(session, recent.id, rules, now=now)
        return recent, False
    sub = await repo.add_subscription(session, rules, now=now)
    await enqueue_emails(session, [confirmation_email(sub)], now=now)
    return sub, True


def token_subject(
    secret: str | bytes, token: str, purpose: str, *, now: datetime,
    previous_secrets: tuple[str | bytes, ...] = (),
) -> tuple[str, str]:
    """("sub", id) or ("email", address) named by a genuine token; raises TokenInvalid."""
    claims = verify_token(secret, token, purpose, now, previous_secrets)  # type: ignore[arg-type]
    kind, _, value = claims.subject.partition(":")
    if kind not in ("sub", "email") or not value:
        raise TokenInvalid("token names nothing")
    return kind, value


async def subscription_by_token(
    session: AsyncSession, secret: str | bytes, token: str, purpose: str, *, now: datetime
) -> Subscription:
    """The subscription a genuine token names; raises TokenInvalid if forged, expired or unknown."""
    kind, value = token_subject(secret, token, purpose, now=now)
    sub = await repo.get_subscription(session, value) if kind == "sub" else None
    if sub is None:
        raise TokenInvalid("unknown subscription")
    return sub


async def confirm_by_token(
    session: AsyncSession, secret: str | bytes, token: str, *, now: datetime
) -> Subscription:
    """Confirm the subscription of a confirm link (again: no change); raises TokenInvalid."""
    sub = await subscription_by_token(session, secret, token, "confirm", now=now)
    if sub.status not in ("pending", "confirmed"):
        raise TokenInvalid(f"subscription is {sub.status}")
    confirmed = await repo.confirm_subscription(session, sub.id, now=now)
    assert confirmed is not None
    return confirmed


async def unsubscribe_by_token(
    session: AsyncSession, secret: str | bytes, token: str, *, now: datetime
) -> str:
    """Apply an unsubscribe link at once (idempotent); the address it concerned."""
    kind, value = token_subject(secret, token, "unsubscribe", now=now)
    if kind == "email":
        await repo.unsubscribe_address(session, value, now=now)
        return value
    sub = await repo.unsubscribe(session, value, now=now)
    if sub is None:
        raise TokenInvalid("unknown subscription")
    if sub.status == "replaced":
        # A link from an email of the older rules: the reader means "stop these alerts", so the
        # address's current subscription ends too (contact emails are not affected).
        for current in (await session.exec(select(Subscription).where(
            Subscription.email_key == sub.email_key,
            Subscription.status.in_(("pending", "confirmed")),  # type: ignore[attr-defined]
        ))).all():
            await repo.unsubscribe(session, current.id, now=now)
    return sub.email


async def update_by_token(
    session: AsyncSession, secret: str | bytes, token: str, rules: SubscriptionRules, *, now: datetime
) -> Subscription:
    """Change a subscription's rules through its manage link (the address cannot change)."""
    sub = await subscription_by_token(session, secret, token, "manage", now=now)
    if email_key(rules.email) != sub.email_key:
        raise SubscriptionInvalid([FieldError("email", "cannot be changed through a manage link")])
    updated = await repo.update_subscription(session, sub.id, rules, now=now)
    if updated is None:
        raise TokenInvalid(f"subscription is {sub.status}")
    return updated


async def language_of_token(
    session: AsyncSession, secret: str | bytes, token: str, purpose: str, *, now: datetime
) -> str | None:
    """The language of the subscription (or contact address) a genuine token names, if known."""
    try:
        kind, value = token_subject(secret, token, purpose, now=now)
    except TokenInvalid:
        return None
    if kind == "sub":
        sub = await repo.get_subscription(session, value)
        return sub.language if sub is not None else None
    return (await repo.languages_of(session, [value])).get(email_key(value))
