"""Delivery rules: idempotency keys, Message-IDs, failure classes, backoff, digest periods."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Literal

from services.notifier.domain.rules import email_key

EmailKind = Literal[
    "confirmation",
    "wish_alert",
    "digest",
    "match_found",
    "match_decided",
    "trial_completed",
    "trial_terminated",
    "sign_in_link",
    "register_link",
    "invite_link",
]
KINDS: tuple[str, ...] = (
    "confirmation", "wish_alert", "digest", "match_found", "match_decided",
    "trial_completed", "trial_terminated", "sign_in_link", "register_link", "invite_link",
)
# Kinds sent because of a subscription: they stop the moment it is no longer confirmed
# (the confirmation itself goes to a pending one).
SUBSCRIBER_KINDS: frozenset[str] = frozenset({"wish_alert", "digest"})
# The portal's one-time links (sign in, finish registering, invitation): transactional mail the
# person asked for, so no unsubscribe link, and no unsubscribe stops it; a hard bounce does.
LINK_KINDS: frozenset[str] = frozenset({"sign_in_link", "register_link", "invite_link"})

Outcome = Literal["sent", "transient", "permanent", "hard_bounce", "withheld"]
HKT = timezone(timedelta(hours=8), "HKT")  # Hong Kong has no daylight saving time


def idempotency_key(recipient: str, ref: str, kind: str) -> str:
    """The key that makes an email unique: (recipient, what it is about, kind)."""
    return f"{kind}|{ref}|{email_key(recipient)}"


def message_id(recipient: str, ref: str, kind: str, domain: str) -> str:
    """A Message-ID derived from the idempotency key: a resend carries the same one."""
    digest = hashlib.sha256(idempotency_key(recipient, ref, kind).encode("utf-8")).hexdigest()
    return f"<{digest[:40]}@{domain}>"


def classify_reply(code: int | None, stage: str) -> Outcome:
    """What an SMTP failure means: `code` is the reply (None: connection), `stage` the command.

    4xx and lost connections are transient. A 5xx to RCPT is a hard bounce of that address.
    A 5xx elsewhere rejects this message (DATA) or shows our own misconfiguration (AUTH,
    MAIL, HELO): permanent for the message, but the recipient is not to blame.
    """
    if code is None or 400 <= code < 500:
        return "transient"
    if 500 <= code < 600:
        if stage == "rcpt" and code not in (552,):  # 552 on RCPT: mailbox full, not gone
            return "hard_bounce"
        if stage in ("auth", "mail", "helo", "connect"):
            return "transient"
        return "permanent"
    return "transient"


def retry_delay(attempt: int, key: str = "", base: float = 30.0, cap: float = 3600.0) -> float:
    """Seconds before attempt `attempt + 1`: exponential, capped, with a stable ±20% spread.

    The spread comes from the key, not a random draw, so a test or replay sees the same schedule
    while messages that failed together do not all come back in the same second.
    """
    spread = (int(hashlib.sha256(key.encode()).hexdigest()[:4], 16) / 0xFFFF - 0.5) * 0.4
    return min(cap, base * 2 ** max(0, attempt - 1)) * (1 + spread)


@dataclass(frozen=True)
class Period:
    """A digest period: label (e.g. daily:2026-11-21, weekly:2026-W47) and its bounds (UTC)."""

    label: str
    start: datetime
    end: datetime


def last_closed_period(frequency: str, now: datetime) -> Period:
    """The latest daily or weekly period (Hong Kong time) that has ended by `now`."""
    local = now.astimezone(HKT)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == "daily":
        start, end = midnight - timedelta(days=1), midnight
        label = f"daily:{start.date().isoformat()}"
    elif frequency == "weekly":
        end = midnight - timedelta(days=local.weekday())  # this Monday 00:00
        start = end - timedelta(days=7)
        year, week, _ = start.isocalendar()
        label = f"weekly:{year}-W{week:02d}"
    else:
        raise ValueError(f"no digest period for frequency {frequency!r}")
    return Period(label, start.astimezone(UTC), end.astimezone(UTC))


def digest_due(frequency: str, now: datetime, hour: int) -> bool:
    """Whether the last closed daily or weekly period's digests may go out at `now`.

    A period ends at midnight, Hong Kong time (Monday for weekly); its digests go out from
    `hour` o'clock on. Until the next period closes, later checks find nothing left to send.
    """
    return now >= last_closed_period(frequency, now).end + timedelta(hours=hour)
