"""The portal's one-time links (sign in, finish registering, invitation) as the notifier treats
them: mailed only when they open the portal we serve, and never after they expired."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

KIND_OF_PURPOSE = {"sign_in": "sign_in_link", "register": "register_link", "invite": "invite_link"}


def aware(moment: datetime) -> datetime:
    """`moment` with a time zone (a naive one is UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def on_portal(link_url: str, portal_url: str) -> bool:
    """Whether a link opens a page of the portal we serve (never mail a link elsewhere)."""
    base = portal_url.rstrip("/") + "/"
    return link_url.startswith(base) and not any(ch.isspace() for ch in link_url)


def link_expired(context: Mapping[str, Any], now: datetime) -> bool:
    """Whether the link of a queued email stopped working (a late email would only confuse)."""
    try:
        return aware(datetime.fromisoformat(context["expires_at"])) <= now
    except (KeyError, TypeError, ValueError):
        return False
