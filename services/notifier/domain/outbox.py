"""The email outbox's rules: an email to queue, how one attempt ended, and whether a claimed
email may still go out."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.notifier.domain.delivery import LINK_KINDS, SUBSCRIBER_KINDS
from services.notifier.domain.links import link_expired

STATES = ("pending", "sending", "sent", "failed", "suppressed")
SETTLED = ("sent", "failed", "suppressed")  # final: nothing more is done with these rows


@dataclass(frozen=True)
class OutgoingEmail:
    """An email to queue: unique by (recipient, ref, kind)."""

    recipient: str
    ref: str
    kind: str
    language: str
    subscription_id: str | None = None
    item_key: str | None = None
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Settlement:
    """How one claimed email ended this attempt."""

    id: int
    state: str  # sent, pending (retry later), failed, suppressed
    error: str | None = None
    next_attempt_at: datetime | None = None
    message_id: str | None = None


def reason_to_withhold(
    kind: str, subscription_id: str | None, context: Mapping[str, Any], *, suppressed: str | None,
    confirmed: bool, pending: bool, now: datetime,
) -> str | None:
    """Why a claimed email must not go out (it is settled 'suppressed' with this reason), or None.

    `suppressed` is the address's suppression reason, `confirmed` and `pending` what its
    subscription is now.
    """
    # A confirmation or a one-time link may go to an address that once clicked "stop all"
    # (the reader asked for it, or an administrator invited them), never to one that
    # hard-bounced: that address cannot receive mail at all.
    asked_for = kind == "confirmation" or kind in LINK_KINDS
    if suppressed and not (asked_for and suppressed == "unsubscribed"):
        return f"address suppressed ({suppressed})"
    if kind in LINK_KINDS and link_expired(context, now):
        return "the link expired before it could be sent"
    if (kind in SUBSCRIBER_KINDS or (subscription_id and kind != "confirmation")) and not confirmed:
        return "subscription no longer confirmed"
    if kind == "confirmation" and not pending:
        return "subscription no longer pending"
    return None
