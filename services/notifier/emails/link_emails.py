"""The emails of the portal's one-time links: the reader's language, then the other one, with no
unsubscribe (the person asked for the link)."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from services.notifier.domain import HKT, aware, header_safe
from services.notifier.emails.labels import LABELS
from services.notifier.emails.links import page_path
from services.notifier.emails.rendering import render, render_both

OTHER = {"en": "zh-HK", "zh-HK": "en"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def hong_kong_time(moment: datetime, language: str) -> str:
    """A moment as a reader in Hong Kong says it, e.g. 10:15 on 20 November 2026."""
    local = aware(moment).astimezone(HKT)
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
    labels = LABELS[language]
    return {"email": email, "url": url, "org": org,
            "role": labels.get(f"acting_{ctx.get('role') or ''}", "{org}").format(org=org),
            "minutes": ctx.get("minutes", 15),
            "expires": hong_kong_time(datetime.fromisoformat(ctx["expires_at"]), language),
            "invited_by": labels["invited_by"].format(who=who) if who else ""}


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
