"""The portal's one-time links by email: queued from SignInLinkIssued, once per issued link.

A link is a credential (one use, 15 minutes): it is never logged, it is mailed only when it opens
the portal the notifier serves, and its outbox row forgets it once the email is settled.
"""

import logging
from datetime import datetime

from contracts import SignInLinkIssued
from innoportal.uow import UnitOfWork
from services.notifier.domain import KIND_OF_PURPOSE, OutgoingEmail, aware, normalise_email, on_portal
from services.notifier.repository import email_outbox

log = logging.getLogger("innoportal.notifier.links")


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
    expires = aware(event.expires_at)
    minutes = round((expires - aware(event.occurred_at)).total_seconds() / 60)
    context = {"link_url": event.link_url, "expires_at": expires.isoformat(),
               "minutes": minutes if 0 < minutes <= 24 * 60 else 15, "org": event.org,
               "role": event.role, "invited_by": event.invited_by}
    # One email per issued link: the event id is the ref, so a redelivery collides on the key.
    return OutgoingEmail(address, f"link:{event.event_id}", KIND_OF_PURPOSE[event.purpose],
                         event.language, None, None, context)


async def email_sign_in_link(uow: UnitOfWork, event: SignInLinkIssued, *, portal_url: str,
                             now: datetime) -> int:
    """Queue the email of an issued link (sign in, finish registering, invitation); how many
    were queued."""
    email = link_email(event, portal_url=portal_url)
    return await email_outbox.enqueue_emails(uow.session, [email], now=now) if email else 0
