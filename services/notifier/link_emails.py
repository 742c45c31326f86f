"""The portal's one-time links by email: queued from SignInLinkIssued, composed without unsubscribe.

A link is a credential (one use, 15 minutes): it is never logged, it is mailed only when it opens
the portal the notifier serves, and its outbox row forgets it once the email is settled.
"""

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import SignInLinkIssued
from services.notifier.delivery_log import OutgoingEmail, enqueue_emails
from services.notifier.domain import HKT, header_safe, normalise_email
from services.notifier.links import page_path
from services.notifier.models import EmailOutbox
from services.notifier.rendering import render, render_both

log = logging.getLogger("innoportal.notifier.links")
KIND_OF_PURPOSE = {"sign_in": "sign_in_link", "register": "register_link", "invite": "invite_link"}
OTHER = {"en": "zh-HK", "zh-HK": "en"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_ROLES = {
    "en": {"department": "You will act for {org}, a government department or public body.",
           "provider": "You will act for {org}, a solution provider.",
           "emsd": "You will act for {org} as EMSD staff."},
    "zh-HK": {"department": "您將代表政府部門或公營機構「{org}」。",
              "provider": "您將代表方案提供者「{org}」。",
              "emsd": "您將以機電署職員身分代表「{org}」。"},
}
_INVITED_BY = {"en": "The invitation is from {who}.", "zh-HK": "邀請人：{who}。"}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def on_portal(link_url: str, portal_url: str) -> bool:
    """Whether a link opens a page of the portal we serve (never mail a link elsewhere)."""
    base = portal_url.rstrip("/") + "/"
    return link_url.startswith(base) and not any(ch.isspace() for ch in link_url)


def link_email(event: SignInLinkIssued, *, portal_url: str) -> OutgoingEmail | None:
    """The outbox row of an issued link; None (logged, without the link) when it cannot go."""
    address, error = normalise_email(event.email)
    if error or address is None:
        log.warning("link event %s not emailed: the address is unusable", event.event_id)
        return None
    if not on_portal(event.link_url, portal_url):
        log.warning("link event %s not emailed: the link is not on the portal %s",
                    event.event_id, portal_url)
        return None
    expires = _aware(event.expires_at)
    minutes = round((expires - _aware(event.occurred_at)).total_seconds() / 60)
    context = {"link_url": event.link_url, "expires_at": expires.isoformat(),
               "minutes": minutes if 0 < minutes <= 24 * 60 else 15, "org": event.org,
               "role": event.role, "invited_by": event.invited_by}
    # One email per issued link: the event id is the ref, so a redelivery collides on the key.
    return OutgoingEmail(address, f"link:{event.event_id}", KIND_OF_PURPOSE[event.purpose],
                         event.language, None, None, context)


async def plan_link_email(session: AsyncSession, event: SignInLinkIssued, *, portal_url: str,
                          now: datetime) -> int:
    """Queue the email of an issued link in the caller's transaction; how many were queued."""
    email = link_email(event, portal_url=portal_url)
    return await enqueue_emails(session, [email], now=now) if email else 0


async def forget_links(session: AsyncSession, rows: list[tuple[int, Mapping[str, Any]]]) -> None:
    """Drop the link from settled link emails (id, context): no credential outlives its email.

    Only rows no longer pending or sending change: one still to be (re)sent keeps its link.
    """
    table = EmailOutbox.__table__
    for row_id, context in rows:
        await session.exec(update(table).where(  # type: ignore[call-overload]
            table.c.id == row_id, table.c.state.in_(("sent", "failed", "suppressed")),
        ).values(context={**context, "link_url": None}))


def expired(context: Mapping[str, Any], now: datetime) -> bool:
    """Whether the link of a queued email stopped working (a late email would only confuse)."""
    try:
        return _aware(datetime.fromisoformat(context["expires_at"])) <= now
    except (KeyError, TypeError, ValueError):
        return False


def hong_kong_time(moment: datetime, language: str) -> str:
    """A moment as a reader in Hong Kong says it, e.g. 10:15 on 20 November 2026."""
    local = _aware(moment).astimezone(HKT)
    if language == "zh-HK":
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local:%H:%M} on {local.day} {_MONTHS[local.month - 1]} {local.year}"


def in_language(link_url: str, language: str, portal_url: str) -> str:
    """The same link opening the portal's page in `language` (the token does not depend on it)."""
    base = portal_url.rstrip("/")
    for lang in OTHER:
        prefix = f"{base}/{page_path(lang)}/"
        if link_url.startswith(prefix):
            return f"{base}/{page_path(language)}/{link_url[len(prefix):]}"
    return link_url


def _values(language: str, email: str, ctx: Mapping[str, Any], portal_url: str) -> dict[str, Any]:
    org, who = ctx.get("org", ""), ctx.get("invited_by")
    url = in_language(ctx.get("link_url") or "", language, portal_url)
    return {"email": email, "url": url, "org": org,
            "role": _ROLES[language].get(ctx.get("role", ""), "{org}").format(org=org),
            "minutes": ctx.get("minutes", 15),
            "expires": hong_kong_time(datetime.fromisoformat(ctx["expires_at"]), language),
            "invited_by": _INVITED_BY[language].format(who=who) if who else ""}


def render_link_email(kind: str, language: str, email: str, ctx: Mapping[str, Any], *,
                      portal_url: str) -> tuple[str, str, str]:
    """Subject, text and HTML of a link email: the reader's language, then the other one
    (its link opening the portal in that language)."""
    if not ctx.get("link_url"):
        raise ValueError("the link is no longer kept")  # forgotten once settled: never resent
    language = language if language in OTHER else "en"
    other = OTHER[language]
    values = _values(language, email, ctx, portal_url)
    main = render_both(language, kind, values)
    second = render_both(other, kind, _values(other, email, ctx, portal_url))
    subject = header_safe(render(language, kind, "subject", values), 250)
    # The other language's version after a rule, headed in that language.
    body = render_both(other, "_second_language", {"main": main, "second": second})
    layout = {"subject": subject, "body": body,
              "footer": render_both(language, "_footer_link", {"email": email})}
    text = render(language, "_layout", "text", layout) + "\n"
    html = render(language, "_layout", "html", layout) + "\n"
    return subject, text, html
