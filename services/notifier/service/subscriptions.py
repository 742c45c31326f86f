"""Subscribing, confirming, managing and unsubscribing: the use cases behind the HTTP endpoints
and the links of the emails. Each takes a UnitOfWork and never commits."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from innoportal.errors import FieldError
from innoportal.uow import UnitOfWork
from services.notifier import repository as repo
from services.notifier.domain import FIELDS, OutgoingEmail, email_key, validate_subscription
from services.notifier.models import Subscription
from services.notifier.repository import email_outbox
from services.notifier.repository.subscriptions import LIVE
from services.notifier.service.tokens import (
    subscription_by_token,
    subscription_tokens,
    token_error,
    token_subject,
)

# A second request for the same address within this time updates the pending subscription
# instead of sending another confirmation: nobody can flood an inbox through the form.
RESEND_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class Managed:
    """A subscription and fresh tokens of its manage and unsubscribe pages."""

    subscription: Subscription
    tokens: dict[str, str]


@dataclass(frozen=True)
class Addressee:
    """What an unsubscribe link would stop: a subscription, or every email to a contact."""

    kind: str  # "sub" or "email"
    email: str
    status: str  # the subscription's, or a contact's "active" / "unsubscribed"
    subscription: Subscription | None = None


def confirmation_email(sub: Subscription) -> OutgoingEmail:
    """The confirmation email of a pending subscription (one per subscription)."""
    return OutgoingEmail(
        sub.email, f"subscription:{sub.id}", "confirmation", sub.language, sub.id, None,
        {"subscription_id": sub.id, "categories": list(sub.categories),
         "keywords": list(sub.keywords), "frequency": sub.frequency,
         "receive_reports": sub.receive_reports},
    )


async def subscribe(uow: UnitOfWork, data: dict[str, Any], *, now: datetime) -> tuple[Subscription, bool]:
    """A pending subscription from a request's fields (FieldError naming each bad one), and
    whether a confirmation email was queued for it."""
    rules = validate_subscription(data)
    s = uow.session
    recent = await repo.recent_pending(s, email_key(rules.email), since=now - RESEND_AFTER)
    if recent is not None:
        await repo.update_subscription(s, recent.id, rules, now=now)
        return recent, False
    sub = await repo.add_subscription(s, rules, now=now)
    await email_outbox.enqueue_emails(s, [confirmation_email(sub)], now=now)
    return sub, True


async def confirm_subscription(uow: UnitOfWork, secret: str, token: str | None, *,
                               now: datetime) -> Managed:
    """Confirm the subscription of a confirm link (again: no change)."""
    sub = await subscription_by_token(uow.session, secret, token, "confirm", now=now)
    if sub.status not in LIVE:
        raise token_error(f"subscription is {sub.status}")
    confirmed = await repo.confirm_subscription(uow.session, sub.id, now=now)
    assert confirmed is not None
    return Managed(confirmed, subscription_tokens(secret, confirmed.id, now))


async def show_subscription(uow: UnitOfWork, secret: str, token: str | None, *,
                            now: datetime) -> Managed:
    """The subscription of a manage link, while it has not ended."""
    sub = await subscription_by_token(uow.session, secret, token, "manage", now=now)
    if sub.status not in LIVE:
        raise token_error(f"subscription is {sub.status}")
    return Managed(sub, subscription_tokens(secret, sub.id, now))


async def change_subscription(uow: UnitOfWork, secret: str, token: str | None,
                              data: dict[str, Any], *, is_form: bool, now: datetime) -> Subscription:
    """Change a subscription's rules through its manage link: fields not sent stay (a form says
    every field: an unticked box sends nothing, so absent means none); the address cannot change."""
    sub = (await show_subscription(uow, secret, token, now=now)).subscription
    current = {"email": sub.email, "categories": list(sub.categories),
               "keywords": list(sub.keywords), "language": sub.language,
               "frequency": sub.frequency, "receive_reports": sub.receive_reports}
    if is_form:
        data = {"categories": [], "receive_reports": False, "keywords": "", **data}
    rules = validate_subscription({**current, **{k: v for k, v in data.items() if k in FIELDS}})
    if email_key(rules.email) != sub.email_key:
        raise FieldError("email", "cannot be changed through a manage link")
    updated = await repo.update_subscription(uow.session, sub.id, rules, now=now)
    if updated is None:
        raise token_error(f"subscription is {sub.status}")
    return updated


async def preview_unsubscribe(uow: UnitOfWork, secret: str, token: str | None, *,
                              now: datetime) -> Addressee:
    """What an unsubscribe link would stop (looking never unsubscribes: mail scanners look)."""
    kind, value = token_subject(secret, token, "unsubscribe", now=now)
    if kind == "sub":
        sub = await repo.get_subscription(uow.session, value)
        if sub is None:
            raise token_error("unknown subscription")
        return Addressee(kind, sub.email, sub.status, sub)
    suppressed = await repo.suppressed_among(uow.session, [value])
    return Addressee(kind, value, "unsubscribed" if suppressed else "active")


async def unsubscribe(uow: UnitOfWork, secret: str, token: str | None, *, now: datetime) -> str:
    """Apply an unsubscribe link at once (idempotent); the address it concerned."""
    kind, value = token_subject(secret, token, "unsubscribe", now=now)
    s = uow.session
    if kind == "email":
        await repo.unsubscribe_address(s, value, now=now)
        return value
    sub = await repo.unsubscribe(s, value, now=now)
    if sub is None:
        raise token_error("unknown subscription")
    if sub.status == "replaced":
        # A link from an email of the older rules: the reader means "stop these alerts", so the
        # address's current subscription ends too (contact emails are not affected).
        for current in await repo.live_subscriptions(s, sub.email_key):
            await repo.unsubscribe(s, current.id, now=now)
    return sub.email


async def language_of_token(uow: UnitOfWork, secret: str, token: str | None, purpose: str, *,
                            now: datetime) -> str | None:
    """The language of the subscription (or contact address) a genuine token names, if known."""
    try:
        kind, value = token_subject(secret, token, purpose, now=now)
    except FieldError:
        return None
    if kind == "sub":
        sub = await repo.get_subscription(uow.session, value)
        return sub.language if sub is not None else None
    return (await repo.languages_of(uow.session, [value])).get(email_key(value))
