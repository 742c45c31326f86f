"""Accounts, without any framework: who may act as what, how long a link and a session last,
and how often someone may ask for a link."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email

from services.portal.domain.queries import Problem, has_control

ROLES = ("department", "provider", "emsd")
INVITED_ROLES = ("department", "emsd")  # providers register themselves
LINK_TTL = timedelta(minutes=15)
SESSION_TTL = timedelta(hours=8)
API_TOKEN_TTL = timedelta(minutes=5)  # one per call to a service; never stored
MAX_ORG_CHARS = 100


@dataclass(frozen=True)
class Limit:
    """At most `count` requests in `window`."""

    count: int
    window: timedelta


PER_ADDRESS = Limit(5, timedelta(minutes=15))
PER_CLIENT = Limit(20, timedelta(minutes=15))


@dataclass(frozen=True)
class Actor:
    """A signed-in person: their account, as the portal acts for them."""

    account_id: str
    email: str
    org: str
    role: str
    admin: bool
    language: str

    @property
    def is_emsd_admin(self) -> bool:
        """Whether they may invite and withdraw accounts."""
        return self.role == "emsd" and self.admin


def new_secret() -> str:
    """A fresh unguessable token (for a link or a session cookie)."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What is stored of a link or session token: its SHA-256, so a copy of the database
    cannot be used to sign in."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(raw: str) -> tuple[str | None, Problem | None]:
    """The address in canonical form (lower case), or the problem with it."""
    value = raw.strip()
    if not value:
        return None, Problem("account.email_required")
    if len(value) > 254 or has_control(value):
        return None, Problem("account.email_invalid")
    try:
        found = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return None, Problem("account.email_invalid")
    return (found.ascii_email or found.normalized).lower(), None


def check_org(raw: str) -> tuple[str | None, Problem | None]:
    """An organisation's name: 2 to 100 printable characters."""
    value = " ".join(raw.split())
    if len(value) < 2:
        return None, Problem("account.org_required")
    if len(value) > MAX_ORG_CHARS:
        return None, Problem("input.too_long", {"max": MAX_ORG_CHARS, "length": len(value)})
    if has_control(value):
        return None, Problem("input.control")
    return value, None


def retry_after(times: list[datetime], now: datetime, limit: Limit) -> int | None:
    """Seconds to wait before one more request is allowed, or None when it is allowed now."""
    recent = sorted(t for t in times if t > now - limit.window)
    if len(recent) < limit.count:
        return None
    # The oldest of the last `count` requests must leave the window first.
    frees_at = recent[-limit.count] + limit.window
    return max(1, int((frees_at - now).total_seconds()) + 1)


def link_problem(*, expires_at: datetime, used_at: datetime | None, now: datetime) -> str | None:
    """Why a one-time link cannot be used (a text key), or None."""
    if used_at is not None:
        return "account.link_used"
    if now >= expires_at:
        return "account.link_expired"
    return None
