"""Digests of daily and weekly subscribers, and the sign-ups never confirmed: the use cases the
digest worker runs on its schedule."""

from datetime import datetime

from innoportal.uow import UnitOfWork
from services.notifier import repository as repo
from services.notifier.domain import OutgoingEmail, last_closed_period
from services.notifier.repository import email_outbox


async def queue_digests(uow: UnitOfWork, frequency: str, *, now: datetime, after: str = "",
                        batch: int = 500) -> tuple[int, str | None]:
    """Queue the digests of up to `batch` subscribers (ids above `after`) for the last closed
    daily or weekly period; the number queued and where to go on (None: all done).

    Entries are marked as taken in the same transaction as the digest is queued, and the
    digest's key is (address, period), so running this twice, or on two nodes, sends one;
    a subscriber with nothing new gets no digest at all.
    """
    s = uow.session
    period = last_closed_period(frequency, now)
    subs = await repo.open_digest_subscribers(s, frequency, period.end, after=after, limit=batch)
    if not subs:
        return 0, None
    taken = await repo.take_digest_entries(s, [sub[0] for sub in subs], period.end, period.label)
    queued = await email_outbox.enqueue_emails(s, [
        OutgoingEmail(email, period.label, "digest", lang, sid, None, {
            "items": [{"key": k, "reasons": r} for k, r in taken[sid]],
            "period": period.label.partition(":")[2], "frequency": frequency})
        for sid, email, lang in subs if taken.get(sid)], now=now)
    return queued, subs[-1][0]


async def purge_unconfirmed_subscriptions(uow: UnitOfWork, *, older_than: datetime) -> int:
    """Delete the sign-ups never confirmed, made before `older_than` (their link has expired)."""
    return await repo.purge_unconfirmed(uow.session, older_than=older_than)
